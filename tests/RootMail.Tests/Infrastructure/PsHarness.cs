using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using RootMail.Testing;

namespace RootMail.Tests
{
    /// <summary>How a <see cref="PsHarness"/> sets up its runspace.</summary>
    public sealed class PsHarnessOptions
    {
        /// <summary>Import out/RootMail/RootMail.psd1 (default true).</summary>
        public bool ImportRootMail { get; set; } = true;

        /// <summary>Import out/RootMail.Simulator/RootMail.Simulator.psd1 (default true).</summary>
        public bool ImportSimulator { get; set; } = true;

        /// <summary>The host; null: the harness makes a <see cref="TextHost"/> over a StringWriter (see <see cref="PsHarness.HostText"/>).</summary>
        public TextHost? Host { get; set; }

        /// <summary>Width of the harness-made host.</summary>
        public int Width { get; set; } = 120;

        /// <summary>Set on the harness-made host: show progress records as lines.</summary>
        public bool ShowProgress { get; set; }

        /// <summary>
        /// $PSStyle.OutputRendering to set: PlainText (default), Ansi, Host, or null to leave it. Note that
        /// $PSStyle is one object for the whole process, not per runspace. A <see cref="TextHost"/>
        /// without UseAnsi shows plain text whatever this says.
        /// </summary>
        public string? OutputRendering { get; set; } = "PlainText";

        /// <summary>Run once after the imports, e.g. "$ErrorActionPreference = 'Stop'".</summary>
        public string? StartupScript { get; set; }
    }

    /// <summary>
    /// One runspace of the real PowerShell engine (InitialSessionState.CreateDefault2(), a
    /// <see cref="TextHost"/>), with the built modules imported by manifest path, as a user has
    /// them after Import-Module. Scripts run in the global scope, so state (variables, connections)
    /// carries from one <see cref="Run"/> to the next. Not thread-safe: one pipeline at a time; for
    /// concurrency tests use several harnesses (<see cref="RunConcurrently(int, Func{int, string}, IDictionary?, Func{int, string}?, PsHarnessOptions?)"/>).
    /// </summary>
    public sealed class PsHarness : IDisposable
    {
        private readonly StringWriter? ownWriter;
        private readonly object runningGate = new object();
        private PowerShell? running;
        private bool disposed;

        public PsHarness() : this(new PsHarnessOptions())
        {
        }

        public PsHarness(PsHarnessOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Host != null)
            {
                Host = options.Host;
            }
            else
            {
                ownWriter = new StringWriter();
                Host = new TextHost(ownWriter, options.Width) { ShowProgress = options.ShowProgress };
            }

            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass; // let the manifest's format file load
            }
            Runspace = RunspaceFactory.CreateRunspace(Host, iss);
            try
            {
                Runspace.Open();
                Initialize();
            }
            catch
            {
                Runspace.Dispose();
                throw;
            }
        }

        /// <summary>A harness with both modules imported (or only those asked for).</summary>
        public static PsHarness Create(bool importRootMail = true, bool importSimulator = true) =>
            new PsHarness(new PsHarnessOptions { ImportRootMail = importRootMail, ImportSimulator = importSimulator });

        /// <summary>A harness with no module imported: the bare engine.</summary>
        public static PsHarness Bare() => Create(importRootMail: false, importSimulator: false);

        public PsHarnessOptions Options { get; }

        public Runspace Runspace { get; }

        public TextHost Host { get; }

        /// <summary>Everything the harness-made host has shown so far ("" when the host was supplied).</summary>
        public string HostText
        {
            get
            {
                if (ownWriter == null)
                {
                    return "";
                }
                lock (Host.WriteLock)
                {
                    return ownWriter.ToString();
                }
            }
        }

        /// <summary>Sets a global variable in the runspace.</summary>
        public void SetVariable(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

        /// <summary>Reads a global variable of the runspace (unwrapped from PSObject).</summary>
        public object? GetVariable(string name)
        {
            var value = Runspace.SessionStateProxy.GetVariable(name);
            return value is PSObject pso ? pso.BaseObject : value;
        }

        /// <summary>
        /// Runs <paramref name="script"/> in the global scope and collects every stream. Each entry of
        /// <paramref name="parameters"/> becomes a global variable ($name), and is also passed as a
        /// parameter when the script has a param() block declaring it. A thrown error (throw,
        /// -ErrorAction Stop, parse error) does not escape: it is <see cref="PsResult.TerminatingError"/>
        /// and the last of <see cref="PsResult.Errors"/>.
        /// </summary>
        public PsResult Run(string script, IDictionary? parameters = null) => Execute(script, parameters, render: false);

        /// <summary>
        /// Runs `&lt;script&gt; | Out-Default` with errors merged into the output, as pwsh runs a command line:
        /// tables rendered through the format views at the host's width, errors shown by the formatter,
        /// warnings as "WARNING: " lines. A terminating error is shown too, as pwsh reports it.
        /// Returns the text the host showed (plain text unless OutputRendering was changed).
        /// </summary>
        public string RenderDefault(string script, IDictionary? parameters = null) => Render(script, parameters).HostText;

        /// <summary>Like <see cref="RenderDefault"/>, with everything else: the errors (also shown in <see cref="PsResult.HostText"/>), warnings ...</summary>
        public PsResult Render(string script, IDictionary? parameters = null) => Execute(script, parameters, render: true);

        /// <summary>Stops the pipeline running in this harness, if any (like Ctrl+C).</summary>
        public void Stop()
        {
            PowerShell? ps;
            lock (runningGate)
            {
                ps = running;
            }
            // The engine's Stop() can throw a NullReferenceException when it catches the pipeline between two nested
            // commands (RootMail runs Exchange commands as nested pipelines): try again, as a user presses Ctrl+C again.
            for (int attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    ps?.Stop();
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return; // finished meanwhile
                }
                catch (NullReferenceException)
                {
                    System.Threading.Thread.Sleep(20);
                }
            }
        }

        /// <summary>
        /// Opens <paramref name="n"/> harnesses (in parallel), runs <paramref name="setup"/> in each if
        /// given (it must succeed), then starts <paramref name="script"/>(i) in all of them at the same
        /// moment, each on its own thread, and returns the results in order of i. The harnesses are
        /// disposed afterwards.
        /// </summary>
        public static IReadOnlyList<PsResult> RunConcurrently(int n, Func<int, string> script, IDictionary? parameters = null,
            Func<int, string>? setup = null, PsHarnessOptions? options = null)
        {
            if (n < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(n));
            }
            var harnesses = OpenMany(n, options);
            try
            {
                if (setup != null)
                {
                    for (var i = 0; i < n; i++)
                    {
                        var prepared = harnesses[i].Run(setup(i), parameters);
                        if (!prepared.Succeeded)
                        {
                            throw new InvalidOperationException($"Setup of runspace {i} failed.{Environment.NewLine}{prepared.Describe()}");
                        }
                    }
                }
                return RunConcurrently(harnesses, script, parameters);
            }
            finally
            {
                foreach (var h in harnesses)
                {
                    h.Dispose();
                }
            }
        }

        /// <summary>
        /// Starts <paramref name="script"/>(i) in harnesses[i], all at the same moment, each on its own
        /// thread; returns the results in order. The harnesses stay open for follow-up checks.
        /// </summary>
        public static IReadOnlyList<PsResult> RunConcurrently(IReadOnlyList<PsHarness> harnesses, Func<int, string> script, IDictionary? parameters = null)
        {
            var n = harnesses.Count;
            var results = new PsResult[n];
            var failures = new Exception?[n];
            var scripts = Enumerable.Range(0, n).Select(script).ToArray();
            using var barrier = new Barrier(n);
            var threads = Enumerable.Range(0, n).Select(i => new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait();
                    results[i] = harnesses[i].Run(scripts[i], parameters);
                }
                catch (Exception ex)
                {
                    failures[i] = ex;
                }
            })
            {
                IsBackground = true,
                Name = $"PsHarness.RunConcurrently[{i}]",
            }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            var failed = failures.Where(f => f != null).Cast<Exception>().ToList();
            if (failed.Count > 0)
            {
                throw new AggregateException("The harness failed to run a script concurrently.", failed);
            }
            return results;
        }

        /// <summary>Opens <paramref name="n"/> harnesses in parallel (module import takes a moment each).</summary>
        public static IReadOnlyList<PsHarness> OpenMany(int n, PsHarnessOptions? options = null)
        {
            if (options?.Host != null && n > 1)
            {
                throw new ArgumentException("Harnesses opened together cannot share one host: leave options.Host null.", nameof(options));
            }
            var tasks = Enumerable.Range(0, n)
                .Select(_ => Task.Run(() => new PsHarness(Clone(options ?? new PsHarnessOptions()))))
                .ToArray();
            try
            {
                Task.WaitAll(tasks);
            }
            catch (AggregateException)
            {
                foreach (var t in tasks.Where(t => t.Status == TaskStatus.RanToCompletion))
                {
                    t.Result.Dispose();
                }
                throw;
            }
            return tasks.Select(t => t.Result).ToList();
        }

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            Stop();
            Runspace.Dispose();
            ownWriter?.Dispose();
        }

        private void Initialize()
        {
            var imports = new List<(string Name, string Path)>();
            if (Options.ImportRootMail)
            {
                imports.Add(("RootMail", RepoLayout.RootMailManifest));
            }
            if (Options.ImportSimulator)
            {
                imports.Add(("RootMail.Simulator", RepoLayout.SimulatorManifest));
            }
            foreach (var (name, path) in imports)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException(
                        $"The {name} module is not built: {path} is missing. Run `dotnet build RootMail.sln` first (building the test project does it too).", path);
                }
                var imported = Run($"Import-Module -Name '{path.Replace("'", "''")}' -ErrorAction Stop");
                if (!imported.Succeeded)
                {
                    throw new InvalidOperationException($"Import-Module {path} failed.{Environment.NewLine}{imported.Describe()}");
                }
            }

            var rendering = Options.OutputRendering;
            if (rendering != null)
            {
                var styled = Run("if ($PSStyle) { $PSStyle.OutputRendering = $__rmOutputRendering }",
                    new Hashtable { ["__rmOutputRendering"] = rendering });
                Runspace.SessionStateProxy.PSVariable.Remove("__rmOutputRendering");
                if (!styled.Succeeded)
                {
                    throw new InvalidOperationException($"Could not set $PSStyle.OutputRendering to '{rendering}'.{Environment.NewLine}{styled.Describe()}");
                }
            }

            if (!string.IsNullOrWhiteSpace(Options.StartupScript))
            {
                var started = Run(Options.StartupScript!);
                if (!started.Succeeded)
                {
                    throw new InvalidOperationException($"The startup script failed.{Environment.NewLine}{started.Describe()}");
                }
            }
            if (ownWriter != null)
            {
                lock (Host.WriteLock)
                {
                    ownWriter.GetStringBuilder().Clear(); // HostText starts with the first test script
                }
            }
        }

        private PsResult Execute(string script, IDictionary? parameters, bool render)
        {
            if (disposed)
            {
                throw new ObjectDisposedException(nameof(PsHarness));
            }
            var result = new PsResult(script);
            var hostStart = HostLength();
            StringWriter? capture = null;
            TextWriter? original = null;
            if (ownWriter == null)
            {
                // A supplied host keeps writing where it writes; a copy goes to the result.
                capture = new StringWriter();
                lock (Host.WriteLock)
                {
                    original = Host.Writer;
                    Host.Writer = new TeeWriter(original, capture);
                }
            }
            try
            {
                ExecuteCore(script, parameters, render, result);
            }
            finally
            {
                if (capture != null)
                {
                    lock (Host.WriteLock)
                    {
                        Host.Writer = original!;
                    }
                }
            }
            result.HostText = capture != null ? capture.ToString() : HostTextSince(hostStart);
            return result;
        }

        private void ExecuteCore(string script, IDictionary? parameters, bool render, PsResult result)
        {
            List<ErrorRecord>? tapped = null;

            using (var ps = PowerShell.Create())
            {
                ps.Runspace = Runspace;
                var declared = DeclaredParameters(script);
                if (parameters != null)
                {
                    foreach (DictionaryEntry entry in parameters)
                    {
                        SetVariable(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!, entry.Value);
                    }
                }
                ps.AddScript(script, useLocalScope: false);
                if (parameters != null)
                {
                    foreach (DictionaryEntry entry in parameters)
                    {
                        var name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!;
                        if (declared.Contains(name))
                        {
                            ps.AddParameter(name, entry.Value);
                        }
                    }
                }
                if (render)
                {
                    // As pwsh runs a command line: errors merged into the output, everything to Out-Default.
                    // The tap in between keeps the error records for the result.
                    tapped = new List<ErrorRecord>();
                    ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
                    ps.AddCommand("ForEach-Object").AddParameter("Process", ScriptBlock.Create(
                        "if ($_ -is [System.Management.Automation.ErrorRecord]) { $__rmTap.Add($_) }; $_"));
                    SetVariable("__rmTap", tapped);
                    ps.AddCommand("Out-Default");
                }

                var output = new List<PSObject>();
                lock (runningGate)
                {
                    running = ps;
                }
                try
                {
                    ps.Invoke(null, output);
                }
                catch (RuntimeException ex)
                {
                    result.TerminatingError = ex.ErrorRecord;
                }
                catch (Exception ex)
                {
                    result.TerminatingError = new ErrorRecord(ex, "PsHarness." + ex.GetType().Name, ErrorCategory.NotSpecified, null);
                }
                finally
                {
                    lock (runningGate)
                    {
                        running = null;
                    }
                }

                result.Output.AddRange(output.Where(o => o != null));
                if (tapped != null)
                {
                    result.Errors.AddRange(tapped);
                }
                result.Errors.AddRange(ps.Streams.Error.ReadAll());
                result.Verbose.AddRange(ps.Streams.Verbose.ReadAll());
                result.Warning.AddRange(ps.Streams.Warning.ReadAll());
                result.Debug.AddRange(ps.Streams.Debug.ReadAll());
                result.Information.AddRange(ps.Streams.Information.ReadAll());
                result.Progress.AddRange(ps.Streams.Progress.ReadAll());
            }

            if (result.TerminatingError != null)
            {
                if (!result.Errors.Contains(result.TerminatingError))
                {
                    result.Errors.Add(result.TerminatingError);
                }
                if (render)
                {
                    ShowTerminatingError(result.TerminatingError);
                }
            }
            if (render)
            {
                Runspace.SessionStateProxy.PSVariable.Remove("__rmTap");
            }
        }

        /// <summary>As pwsh's host reports an error that stopped a command line: through Out-Default, to the error stream.</summary>
        private void ShowTerminatingError(ErrorRecord error)
        {
            try
            {
                ErrorDisplay.WriteToErrorStream(Runspace, error);
            }
            catch (Exception ex)
            {
                Host.UI.WriteErrorLine(error + " (" + ex.Message + ")");
            }
        }

        private static HashSet<string> DeclaredParameters(string script) => ScriptParameters.Declared(Parser.ParseInput(script, out _, out _));

        private int HostLength()
        {
            if (ownWriter == null)
            {
                return 0;
            }
            lock (Host.WriteLock)
            {
                return ownWriter.GetStringBuilder().Length;
            }
        }

        private string HostTextSince(int start)
        {
            if (ownWriter == null)
            {
                return "";
            }
            lock (Host.WriteLock)
            {
                var sb = ownWriter.GetStringBuilder();
                return start <= sb.Length ? sb.ToString(start, sb.Length - start) : sb.ToString();
            }
        }

        private sealed class TeeWriter : TextWriter
        {
            private readonly TextWriter first;
            private readonly TextWriter second;

            public TeeWriter(TextWriter first, TextWriter second)
            {
                this.first = first;
                this.second = second;
            }

            public override System.Text.Encoding Encoding => first.Encoding;

            public override void Write(char value)
            {
                first.Write(value);
                second.Write(value);
            }

            public override void Write(string? value)
            {
                first.Write(value);
                second.Write(value);
            }

            public override void Flush()
            {
                first.Flush();
                second.Flush();
            }
        }

        private static PsHarnessOptions Clone(PsHarnessOptions o) => new PsHarnessOptions
        {
            ImportRootMail = o.ImportRootMail,
            ImportSimulator = o.ImportSimulator,
            Host = o.Host,
            Width = o.Width,
            ShowProgress = o.ShowProgress,
            OutputRendering = o.OutputRendering,
            StartupScript = o.StartupScript,
        };
    }
}
