using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using RootMail.Testing;

namespace RootMail.Bench
{
    /// <summary>
    /// One runspace of the real PowerShell engine with RootMail and the Exchange simulator imported and the simulated
    /// tenant connected, as a runbook or an admin session has it. Commands run as they would at a prompt; the time of
    /// a call is the time of PowerShell.Invoke (command lookup, parameter binding, the cmdlet's work, its output).
    /// </summary>
    internal sealed class PsEngine : IDisposable
    {
        public const string Organization = "contoso.onmicrosoft.com";
        public const string Domain = "contoso.com";

        private static readonly Regex CostLine = new Regex(@"^RootMail: (\d+) registry requests? \((\d+) quer(?:y|ies)\), (\d+) Exchange commands?\.$", RegexOptions.CultureInvariant);

        private PsEngine(Runspace runspace) => Runspace = runspace;

        public Runspace Runspace { get; }

        /// <summary>Opens a runspace, imports out/RootMail and out/RootMail.Simulator and connects the simulated tenant.</summary>
        public static PsEngine Open()
        {
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }
            var runspace = RunspaceFactory.CreateRunspace(new TextHost(TextWriter.Null, 200), iss);
            runspace.Open();
            var engine = new PsEngine(runspace);
            try
            {
                foreach (var manifest in new[] { RepoLayout.RootMailManifest, RepoLayout.SimulatorManifest })
                {
                    engine.Run(ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop")).Check("Import-Module " + Path.GetFileName(manifest));
                }
                engine.Run(ps => ps.AddCommand("Connect-ExchangeOnline").AddParameter("Organization", Organization).AddParameter("AcceptedDomain", Domain))
                    .Check("Connect-ExchangeOnline");
                return engine;
            }
            catch
            {
                engine.Dispose();
                throw;
            }
        }

        /// <summary>Connects this runspace to a registry table (the connection string holds a key: it is never shown).</summary>
        public void ConnectRegistry(string connectionString, string table)
            => Run(ps => ps.AddCommand("Connect-AwsRootRegistry").AddParameter("ConnectionString", connectionString).AddParameter("TableName", table)
                .AddCommand("Out-Null")).Check("Connect-AwsRootRegistry -TableName " + table);

        public PsCall Run(Action<PowerShell> build) => Run(build, null);

        /// <summary>Runs a command; with a sink, output objects go there one by one as they are written (nothing is kept).</summary>
        public PsCall Run(Action<PowerShell> build, IList<PSObject>? sink)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = Runspace;
            build(ps);
            var output = sink == null ? new List<PSObject>() : null;
            string? failure = null;
            var clock = Stopwatch.StartNew();
            try
            {
                ps.Invoke(null, sink ?? output!);
            }
            catch (RuntimeException ex)
            {
                failure = Describe(ex.ErrorRecord);
            }
            catch (Exception ex)
            {
                failure = ex.GetType().Name + ": " + ex.Message;
            }
            clock.Stop();
            var call = new PsCall(clock.Elapsed.TotalMilliseconds, output ?? (IReadOnlyList<PSObject>)Array.Empty<PSObject>());
            foreach (var error in ps.Streams.Error)
            {
                call.Errors.Add(Describe(error));
            }
            if (failure != null)
            {
                call.Errors.Add(failure);
            }
            foreach (var verbose in ps.Streams.Verbose)
            {
                var m = CostLine.Match(verbose.Message);
                if (m.Success)
                {
                    call.Requests = (call.Requests ?? 0) + long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    call.Queries = (call.Queries ?? 0) + long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    call.ExchangeCommands = (call.ExchangeCommands ?? 0) + long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                    call.CostLines++;
                }
            }
            return call;
        }

        /// <summary>The simulator's counters for the connected tenant (all runspaces), zeroed after reading.</summary>
        public ExchangeStatistics ResetExchangeStatistics()
        {
            var call = Run(ps => ps.AddCommand("Get-ExoSimulatorStatistic").AddParameter("Reset", true)).Check("Get-ExoSimulatorStatistic");
            var s = call.Output.Single();
            long Get(string name) => Convert.ToInt64(s.Properties[name]?.Value ?? 0L, CultureInfo.InvariantCulture);
            return new ExchangeStatistics(Get("Total"), Get("SetMailbox"), Get("GetMailbox"), Get("NewMailbox"), Get("GetRecipient"), Get("AddressesAdded"), Get("Failed"));
        }

        public string EngineVersion()
            => Run(ps => ps.AddScript("$PSVersionTable.PSVersion.ToString()")).Check("$PSVersionTable").Output.Single().BaseObject.ToString()!;

        public string ModuleVersion(string name)
            => Run(ps => ps.AddScript("param($n) (Get-Module -Name $n).Version.ToString()").AddArgument(name)).Check("Get-Module").Output.Single().BaseObject.ToString()!;

        public void Dispose() => Runspace.Dispose();

        private static string Describe(ErrorRecord error) => error.FullyQualifiedErrorId + ": " + error.Exception?.Message;
    }

    /// <summary>What one PowerShell call took, returned and cost (from RootMail's closing verbose line, when -Verbose was given).</summary>
    internal sealed class PsCall
    {
        public PsCall(double milliseconds, IReadOnlyList<PSObject> output)
        {
            Milliseconds = milliseconds;
            Output = output;
        }

        public double Milliseconds { get; }
        public IReadOnlyList<PSObject> Output { get; }
        public List<string> Errors { get; } = new List<string>();

        /// <summary>Registry requests summed over the RootMail cost lines of the call; null without -Verbose.</summary>
        public long? Requests { get; set; }
        public long? ExchangeCommands { get; set; }
        /// <summary>Of the registry requests, those with a filter (the kind Azurite answers by scanning the table).</summary>
        public long? Queries { get; set; }
        public int CostLines { get; set; }

        public bool Failed => Errors.Count > 0;

        public PsCall Check(string what)
        {
            if (Failed)
            {
                throw new BenchException($"{what} failed: {Errors[0]}");
            }
            return this;
        }

        public string? Property(int index, string name) => Output.Count > index ? Output[index].Properties[name]?.Value?.ToString() : null;
    }

    internal sealed record ExchangeStatistics(long Total, long SetMailbox, long GetMailbox, long NewMailbox, long GetRecipient, long AddressesAdded, long Failed);

    /// <summary>A failure of the bench itself (set-up, a command that must not fail).</summary>
    internal sealed class BenchException : Exception
    {
        public BenchException(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// An output list that keeps nothing: PowerShell writes each object into it as the pipeline produces it, so a
    /// listing is consumed as it streams. Counts the objects and notes when the first one arrived.
    /// </summary>
    internal sealed class CountingSink : IList<PSObject>
    {
        private readonly Stopwatch clock;
        private int count;

        public CountingSink(Stopwatch clock) => this.clock = clock;

        /// <summary>Milliseconds on the clock when the first object arrived.</summary>
        public double? FirstAt { get; private set; }

        public int Received => count;

        public PSObject this[int index] { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public int Count => 0;

        public bool IsReadOnly => false;

        public void Add(PSObject item)
        {
            if (count++ == 0)
            {
                FirstAt = clock.Elapsed.TotalMilliseconds;
            }
        }

        public void Clear()
        {
        }

        public bool Contains(PSObject item) => false;

        public void CopyTo(PSObject[] array, int arrayIndex)
        {
        }

        public IEnumerator<PSObject> GetEnumerator() => Enumerable.Empty<PSObject>().GetEnumerator();

        public int IndexOf(PSObject item) => -1;

        public void Insert(int index, PSObject item) => Add(item);

        public bool Remove(PSObject item) => false;

        public void RemoveAt(int index)
        {
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
