using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Collections.ObjectModel;
using System.Text.Json;

namespace RootMail.ImportProbe
{
    /// <summary>
    /// RootMail.ImportProbe &lt;manifest&gt; [--mail]: opens a PowerShell engine (InitialSessionState.CreateDefault2), imports
    /// the module and, with --mail, connects and calls Get-AwsRootMail twice. For each step it prints one JSON line with
    /// the step, its milliseconds and the assemblies it loaded. --mail reads ROOTMAIL_PROBE_CONNECTION_STRING,
    /// ROOTMAIL_PROBE_TABLE, ROOTMAIL_PROBE_GRAPH_ENDPOINT, ROOTMAIL_PROBE_GRAPH_TOKEN and ROOTMAIL_PROBE_ADDRESS (the
    /// token becomes a SecureString here; it is never printed). Exit code 0, or 1 when a step wrote errors.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length < 1 || args[0].StartsWith("-", StringComparison.Ordinal))
            {
                Console.Error.WriteLine("Usage: RootMail.ImportProbe <path to RootMail.psd1> [--mail]");
                return 2;
            }
            var manifest = System.IO.Path.GetFullPath(args[0]);
            var mail = args.Contains("--mail");
            // --preload / --preload-after: other versions of RootMail's dependencies, loaded into the default context
            // before Import-Module or after it, as a session that also holds Az.Accounts or ExchangeOnlineManagement has them.
            var preload = args.Contains("--preload");
            var preloadAfter = args.Contains("--preload-after");
            var preloadDir = System.IO.Path.Combine(AppContext.BaseDirectory, "preload");
            void Preload() { foreach (var dll in System.IO.Directory.GetFiles(preloadDir, "*.dll")) System.Reflection.Assembly.LoadFrom(dll); }
            var failed = false;
            var seen = new HashSet<string>(Names());

            var clock = Stopwatch.StartNew();
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows()) iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(iss);
            runspace.Open();
            Report("engine", clock, seen, null);
            if (preload) Preload();

            failed |= Step(runspace, "import", seen, ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest));
            if (preloadAfter) Preload();
            if (mail)
            {
                var token = new SecureString();
                foreach (var c in Environment.GetEnvironmentVariable("ROOTMAIL_PROBE_GRAPH_TOKEN") ?? "") token.AppendChar(c);
                token.MakeReadOnly();
                failed |= Step(runspace, "connect", seen, ps => ps.AddCommand("Connect-AwsRootRegistry")
                    .AddParameter("ConnectionString", Environment.GetEnvironmentVariable("ROOTMAIL_PROBE_CONNECTION_STRING"))
                    .AddParameter("TableName", Environment.GetEnvironmentVariable("ROOTMAIL_PROBE_TABLE"))
                    .AddParameter("GraphEndpoint", new Uri(Environment.GetEnvironmentVariable("ROOTMAIL_PROBE_GRAPH_ENDPOINT")!))
                    .AddParameter("GraphAccessToken", token));
                var address = Environment.GetEnvironmentVariable("ROOTMAIL_PROBE_ADDRESS");
                failed |= Step(runspace, "first-mail", seen, ps => ps.AddCommand("Get-AwsRootMail").AddParameter("Address", address));
                failed |= Step(runspace, "second-mail", seen, ps => ps.AddCommand("Get-AwsRootMail").AddParameter("Address", address));
            }
            // Every copy of the shared dependencies, with its version and load context.
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                step = "copies", ms = 0.0, objects = (int?)null, error = (string?)null,
                loaded = AppDomain.CurrentDomain.GetAssemblies()
                    .Where(a => a.GetName().Name is "Azure.Core" or "Microsoft.Identity.Client" or "RootMail.Core")
                    .Select(a => $"{a.GetName().Name} {a.GetName().Version} {System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a)}")
                    .OrderBy(s => s).ToList(),
            }));
            return failed ? 1 : 0;
        }

        private static bool Step(Runspace runspace, string name, HashSet<string> seen, Action<PowerShell> build)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            var clock = Stopwatch.StartNew();
            Collection<PSObject>? output = null;
            string? error = null;
            try
            {
                output = ps.Invoke();
                if (ps.Streams.Error.Count > 0) error = ps.Streams.Error[0].FullyQualifiedErrorId + ": " + ps.Streams.Error[0];
            }
            catch (RuntimeException ex)
            {
                error = ex.ErrorRecord.FullyQualifiedErrorId + ": " + ex.Message;
            }
            clock.Stop();
            Report(name, clock, seen, error, output?.Count);
            return error != null;
        }

        private static void Report(string step, Stopwatch clock, HashSet<string> seen, string? error, int? objects = null)
        {
            var loaded = Names().Where(seen.Add).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            Console.WriteLine(JsonSerializer.Serialize(new { step, ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1), objects, error, loaded }));
        }

        private static IEnumerable<string> Names() => AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "?").Distinct();
    }
}
