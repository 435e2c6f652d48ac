using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace ModelGateway.Benchmarks;

internal static class Program
{
    /// <summary>
    /// Runs the benchmarks named by <c>--filter</c> (<c>--filter '*'</c> for all) with the short job, or, with
    /// <c>--check</c>, calls every benchmark once in this process and prints what it returned (a quick sanity check that
    /// each client really parsed the whole answer). <c>--memory-soak</c> runs the 1 M-call memory soak (<see cref="MemorySoak"/>);
    /// <c>--loopback-latency</c> the per-call loopback medians (<see cref="LoopbackLatency"/>); <c>--profile</c> one
    /// pipeline setup in a loop for a profiler to sample (<see cref="ProfileLoop"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--check"])
        {
            return Check();
        }

        if (args is ["--loopback-latency", ..])
        {
            return LoopbackLatency.Run(args[1..]);
        }

        if (args is ["--profile", ..])
        {
            return ProfileLoop.Run(args[1..]);
        }

        if (args is ["--memory-soak", ..])
        {
            return MemorySoak.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Check()
    {
        foreach (Type type in typeof(Program).Assembly.GetTypes())
        {
            MethodInfo[] benchmarks = [.. type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)];
            if (benchmarks.Length == 0 || type.IsAbstract)
            {
                continue;
            }

            // Each benchmark on an instance of its own, set up by the GlobalSetup that targets it (as BenchmarkDotNet does).
            foreach (MethodInfo method in benchmarks)
            {
                object instance = Activator.CreateInstance(type)!;
                foreach (PropertyInfo property in type.GetProperties())
                {
                    if (property.GetCustomAttribute<ParamsAttribute>() is { } values)
                    {
                        property.SetValue(instance, values.Values[^1]);
                    }
                }

                Hook<GlobalSetupAttribute>(type, method)?.Invoke(instance, null);
                try
                {
                    object? result = method.Invoke(instance, null);
                    if (result is Task task)
                    {
                        task.GetAwaiter().GetResult();
                        result = task.GetType().GetProperty("Result")?.GetValue(task);
                    }

                    Console.WriteLine($"{type.Name}.{method.Name}: {result}");
                }
                finally
                {
                    Hook<GlobalCleanupAttribute>(type, method)?.Invoke(instance, null);
                }
            }
        }

        return 0;
    }

    /// <summary>The setup (or cleanup) method that applies to <paramref name="benchmark"/>: one that names it, else one that names none.</summary>
    private static MethodInfo? Hook<TAttribute>(Type type, MethodInfo benchmark)
        where TAttribute : TargetedAttribute
    {
        MethodInfo[] hooks = [.. type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null)];
        return hooks.FirstOrDefault(m => m.GetCustomAttribute<TAttribute>()!.Targets?.Contains(benchmark.Name) == true)
            ?? hooks.FirstOrDefault(m => m.GetCustomAttribute<TAttribute>()!.Targets is not { Length: > 0 });
    }
}
