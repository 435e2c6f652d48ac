#!/usr/bin/env bash
# Pack smoke test: packs ModelGateway and ModelGateway.Testing into a throwaway local feed, checks what is inside the
# packages, then builds and runs a fresh console app OUTSIDE the repository (no Directory.Build.props,
# Directory.Packages.props or global.json inherited; its own NuGet.config) that references both packages by version and
# makes one call on the fake provider — what a user installing from nuget.org would do.
#
# Usage: eng/pack-smoke-test.sh [--no-build] [-c|--configuration Debug|Release]
#   --no-build   pack the binaries already built (CI builds the solution first); otherwise pack builds them.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
configuration=Release
build_flag=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build_flag=(--no-build); shift ;;
    -c|--configuration) configuration="$2"; shift 2 ;;
    *) echo "pack-smoke-test: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "pack-smoke-test: FAILED: $*" >&2; exit 1; }
warn() { echo "pack-smoke-test: warning: $*" >&2; }

# A version no real build has: the global packages folder caches packages by id and version, so reusing 0.1.0 would
# silently restore a stale copy from an earlier run.
base_version="$(cd "$repo" && dotnet msbuild src/ModelGateway/ModelGateway.csproj -getProperty:Version)"
version="${base_version}-smoke.$(date +%s).$$"

work="$(mktemp -d "${TMPDIR:-/tmp}/modelgateway-pack-smoke.XXXXXX")"
case "$work" in "$repo"/*) fail "the temp folder $work is inside the repository" ;; esac
feed="$work/feed"
app="$work/app"
packages_root="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() {
  rm -rf "$work" "$packages_root/modelgateway/$version" "$packages_root/modelgateway.testing/$version"
}
trap cleanup EXIT

echo "== pack $version ($configuration${build_flag[*]:+, ${build_flag[*]}})"
for project in ModelGateway ModelGateway.Testing; do
  dotnet pack "$repo/src/$project/$project.csproj" -c "$configuration" "${build_flag[@]}" -o "$feed" \
    -p:Version="$version" -p:ContinuousIntegrationBuild=true --nologo -v quiet \
    || fail "dotnet pack $project"
done

echo "== inspect the packages"
for id in ModelGateway ModelGateway.Testing; do
  nupkg="$feed/$id.$version.nupkg"
  snupkg="$feed/$id.$version.snupkg"
  [ -f "$nupkg" ] || fail "$nupkg was not produced"
  [ -f "$snupkg" ] || fail "$snupkg (symbols) was not produced"
  files="$(unzip -Z1 "$nupkg")"
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  for entry in README.md "lib/net8.0/$id.dll" "lib/net8.0/$id.xml" "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$entry" <<<"$files" || fail "$id: $entry is missing from the package"
  done
  symbols="$(unzip -Z1 "$snupkg")"
  for pdb in "lib/net8.0/$id.pdb" "lib/net10.0/$id.pdb"; do
    grep -qx "$pdb" <<<"$symbols" || fail "$id: $pdb is missing from the symbol package"
  done
  for element in "<id>$id</id>" "<version>$version</version>" '<description>' '<tags>' \
                 '<license type="expression">' '<readme>README.md</readme>' '<repository '; do
    grep -qF "$element" <<<"$nuspec" || fail "$id: the nuspec has no $element"
  done
  grep -q '<repository [^>]*url=' <<<"$nuspec" || warn "$id: the nuspec's <repository> has no url (set RepositoryUrl in src/Directory.Build.props)"
  grep -q '<projectUrl>' <<<"$nuspec" || warn "$id: no <projectUrl> (set PackageProjectUrl in src/Directory.Build.props)"
  echo "   $id: README, XML docs (net8.0, net10.0), symbols, licence, description, tags: ok"
done
testing_nuspec="$(unzip -p "$feed/ModelGateway.Testing.$version.nupkg" ModelGateway.Testing.nuspec)"
grep -q "<dependency id=\"ModelGateway\" version=\"$version\"" <<<"$testing_nuspec" \
  || fail "ModelGateway.Testing does not depend on ModelGateway $version"

echo "== build and run a fresh app outside the repository"
mkdir -p "$app"
cat > "$app/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="ModelGateway" />
      <package pattern="ModelGateway.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
cat > "$app/SmokeApp.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1900;NU1901;NU1902;NU1903;NU1904</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ModelGateway" Version="$version" />
    <PackageReference Include="ModelGateway.Testing" Version="$version" />
    <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.14" />
  </ItemGroup>
</Project>
EOF
cat > "$app/Program.cs" <<'EOF'
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway;
using ModelGateway.Testing;

// 1. The "fake" provider type that ships in ModelGateway: configured, no code, no keys.
var services = new ServiceCollection();
services.AddModelGateway(options =>
{
    options.DefaultModel = "chat";
    options.Providers["demo"] = new ProviderOptions { Type = "fake", Responses = { "pong from the fake provider" } };
    options.Models["chat"] = new ModelGroupOptions { Deployments = { new DeploymentOptions { Provider = "demo", Model = "demo-model" } } };
});
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    ChatResponse response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("ping");
    GatewayResponseInfo info = response.GetGatewayInfo() ?? throw new InvalidOperationException("no gateway info");
    Console.WriteLine($"fake provider: {response.Text} ({info.Model} via {info.Provider}/{info.ProviderModel})");
    if (response.Text != "pong from the fake provider" || info.Provider != "demo")
    {
        return 1;
    }
}

// 2. ModelGateway.Testing: the same configuration with every provider swapped for a scriptable FakeChatClient.
var testServices = new ServiceCollection();
testServices.AddModelGateway(options =>
{
    options.DefaultModel = "chat";
    options.Providers["demo"] = new ProviderOptions { Type = "openai", ApiKey = "unused" };
    options.Models["chat"] = new ModelGroupOptions { Deployments = { new DeploymentOptions { Provider = "demo", Model = "gpt-4o-mini" } } };
}).UseFakeProviders();
await using (ServiceProvider provider = testServices.BuildServiceProvider())
{
    provider.GetRequiredService<FakeProviders>()["demo"].Respond("pong from FakeChatClient");
    ChatResponse response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("ping");
    Console.WriteLine($"testing package: {response.Text}");
    if (response.Text != "pong from FakeChatClient")
    {
        return 1;
    }
}

return 0;
EOF

# Global properties stop MSBuild from importing any Directory.*.props/targets a parent of the temp folder might hold.
isolate=(-p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false -p:ImportDirectoryPackagesProps=false)
(cd "$app" && dotnet build -c Release "${isolate[@]}" --nologo -v quiet) || fail "the consumer app did not build against the packages"
output="$(cd "$app" && dotnet bin/Release/net10.0/SmokeApp.dll)" || { printf '%s\n' "$output"; fail "the consumer app exited with an error"; }
sed 's/^/   /' <<<"$output"
grep -q "fake provider: pong from the fake provider (chat via demo/demo-model)" <<<"$output" || fail "unexpected output from the fake provider"
grep -q "testing package: pong from FakeChatClient" <<<"$output" || fail "unexpected output from the testing package"
resolved="$(grep -o '"ModelGateway/[^"]*"' "$app/obj/project.assets.json" | head -n 1)"
[ "$resolved" = "\"ModelGateway/$version\"" ] || fail "the app restored $resolved, not ModelGateway/$version"

echo "pack-smoke-test: ok (ModelGateway $version and ModelGateway.Testing $version install, build and run)"
