using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;

namespace RootMail.Bench
{
    /// <summary>
    /// Cold Import-Module: the bench starts itself as a child process with --import-probe for every sample, so each
    /// import happens in a fresh process (nothing JIT-compiled or loaded yet; the operating system's file cache is warm
    /// after the first, discarded, start).
    /// </summary>
    internal static class ImportProbe
    {
        /// <summary>Child side: open a runspace, time Import-Module of the manifest, print one JSON line.</summary>
        public static int RunChild(string manifest)
        {
            var sinceStart = Stopwatch.StartNew();
            var startedAt = Process.GetCurrentProcess().StartTime;
            var clock = Stopwatch.StartNew();
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }
            using var runspace = RunspaceFactory.CreateRunspace(iss);
            runspace.Open();
            var engineMs = clock.Elapsed.TotalMilliseconds;

            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", Path.GetFullPath(manifest)).AddParameter("ErrorAction", "Stop").AddParameter("PassThru", true);
            clock.Restart();
            string? error = null;
            var commands = 0;
            try
            {
                var module = ps.Invoke();
                if (module.Count == 1 && module[0].BaseObject is PSModuleInfo info)
                {
                    commands = info.ExportedCmdlets.Count;
                }
            }
            catch (RuntimeException ex)
            {
                error = ex.ErrorRecord.FullyQualifiedErrorId;
            }
            var importMs = clock.Elapsed.TotalMilliseconds;
            var processMs = (DateTime.Now - startedAt).TotalMilliseconds;
            Console.WriteLine(JsonSerializer.Serialize(new ProbeResult(engineMs, importMs, processMs, commands, error)));
            return error == null ? 0 : 1;
        }

        /// <summary>Parent side: one discarded warm-up start, then <paramref name="samples"/> timed fresh processes.</summary>
        public static ImportResults Measure(string manifest, int samples, Action<string> log)
        {
            var results = new ImportResults();
            for (var i = 0; i <= samples; i++)
            {
                var psi = StartInfo();
                psi.ArgumentList.Add("--import-probe");
                psi.ArgumentList.Add(manifest);
                psi.RedirectStandardOutput = true;
                psi.RedirectStandardError = true;
                psi.UseShellExecute = false;
                var wall = Stopwatch.StartNew();
                using var p = Process.Start(psi) ?? throw new BenchException("Could not start the import probe.");
                var stdout = p.StandardOutput.ReadToEnd();
                var stderr = p.StandardError.ReadToEnd();
                p.WaitForExit();
                wall.Stop();
                ProbeResult? r = null;
                foreach (var line in stdout.Split('\n'))
                {
                    if (line.TrimStart().StartsWith('{'))
                    {
                        r = JsonSerializer.Deserialize<ProbeResult>(line);
                    }
                }
                if (p.ExitCode != 0 || r == null || r.Error != null)
                {
                    throw new BenchException($"The import probe failed (exit code {p.ExitCode}): {r?.Error ?? (stderr + stdout).Trim()}");
                }
                if (i == 0)
                {
                    log($"import probe warm-up start: Import-Module {r.ImportMs:0} ms (discarded)");
                    continue;
                }
                results.Engine.Add(r.EngineMs);
                results.Import.Add(r.ImportMs);
                results.Process.Add(wall.Elapsed.TotalMilliseconds);
                results.Cmdlets = r.Cmdlets;
            }
            return results;
        }

        /// <summary>How to start this bench again: its apphost, or dotnet with its dll.</summary>
        private static ProcessStartInfo StartInfo()
        {
            var path = Environment.ProcessPath ?? "dotnet";
            var name = Path.GetFileNameWithoutExtension(path);
            if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                var psi = new ProcessStartInfo(path);
                psi.ArgumentList.Add(typeof(ImportProbe).Assembly.Location);
                return psi;
            }
            return new ProcessStartInfo(path);
        }

        internal sealed record ProbeResult(double EngineMs, double ImportMs, double ProcessMs, int Cmdlets, string? Error);
    }

    internal sealed class ImportResults
    {
        /// <summary>Opening a runspace from InitialSessionState.CreateDefault2 in the fresh process.</summary>
        public Samples Engine { get; } = new Samples();

        /// <summary>Import-Module of out/RootMail/RootMail.psd1.</summary>
        public Samples Import { get; } = new Samples();

        /// <summary>The whole child process, start to exit, as the parent saw it.</summary>
        public Samples Process { get; } = new Samples();

        public int Cmdlets { get; set; }
    }
}
