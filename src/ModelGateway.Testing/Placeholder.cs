namespace ModelGateway.Testing; internal static class Placeholder {}
