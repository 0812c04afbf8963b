using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text;
using RootMail.Testing;

namespace RootMail.Sandbox
{
    /// <summary>
    /// Runs a RootMail script the way a PowerShell user would see it, against Azurite and the Exchange
    /// Online simulator. Exit code: 0 when the script ran without errors, 1 when it wrote errors or
    /// threw (or exited non-zero), 2 when the sandbox itself could not be set up.
    /// </summary>
    internal static class Program
    {
        private const string Organization = "contoso.onmicrosoft.com";
        private const string Domain = "contoso.com";

        private static readonly object Gate = new object();
        private static PowerShell? current;
        private static bool cancelled;

        private static int Main(string[] args)
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("sandbox: " + ex.Message);
                Console.Error.WriteLine(Options.Usage);
                return 2;
            }
            if (options.Help)
            {
                Console.WriteLine(Options.Usage);
                return 0;
            }

            var terminal = !Console.IsOutputRedirected;
            Console.OutputEncoding = new UTF8Encoding(false);
            Console.CancelKeyPress += (_, e) =>
            {
                // Ctrl+C stops the running command, as in pwsh; the sandbox then stops Azurite and exits.
                e.Cancel = true;
                cancelled = true;
                lock (Gate)
                {
                    try
                    {
                        current?.BeginStop(null, null);
                    }
                    catch (Exception)
                    {
                        // finishing anyway
                    }
                }
            };

            var script = options.Script ?? Path.Combine(RepoLayout.SamplesDir, "Quickstart.ps1");
            script = Path.GetFullPath(script);
            if (!File.Exists(script))
            {
                Note($"{script} does not exist (yet). Pass another script with --script <path>.");
                return 2;
            }
            foreach (var manifest in new[] { RepoLayout.RootMailManifest, RepoLayout.SimulatorManifest })
            {
                if (!File.Exists(manifest))
                {
                    Note($"{manifest} is missing: build first (dotnet build RootMail.sln; `dotnet run` of the sandbox builds it too).");
                    return 2;
                }
            }

            AzuriteServer? azurite = null;
            try
            {
                AzuriteServer.EnsureInstalled(log: Console.Error);
                azurite = AzuriteServer.StartNew();
                Note($"Azurite {AzuriteServer.PinnedVersion} table service at {azurite.TableEndpoint} (in memory).");

                var width = options.Width ?? (terminal ? SafeWindowWidth() : 120);
                var host = new TextHost(Console.Out, width) { UseAnsi = terminal, ShowProgress = options.Progress };
                var iss = InitialSessionState.CreateDefault2();
                if (OperatingSystem.IsWindows())
                {
                    iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
                }
                using var runspace = RunspaceFactory.CreateRunspace(host, iss);
                runspace.Open();
                if (!terminal)
                {
                    Invoke(runspace, ps => ps.AddScript("if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }"));
                }

                foreach (var manifest in new[] { RepoLayout.RootMailManifest, RepoLayout.SimulatorManifest })
                {
                    var imported = Invoke(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop"));
                    if (imported != null)
                    {
                        Note($"Import-Module {manifest} failed: {imported}");
                        return 2;
                    }
                }

                var connected = Show(runspace, host,
                    $"Connect-ExchangeOnline -Organization {Organization} -AcceptedDomain {Domain}",
                    ps => ps.AddCommand("Connect-ExchangeOnline").AddParameter("Organization", Organization).AddParameter("AcceptedDomain", Domain));
                var ok = connected == 0;

                if (ok && !cancelled)
                {
                    var declared = DeclaredParameters(script);
                    var parameters = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                    var shown = new StringBuilder(PromptPath(script));
                    if (declared.Contains("ConnectionString"))
                    {
                        runspace.SessionStateProxy.SetVariable("ConnectionString", azurite.ConnectionString);
                        parameters["ConnectionString"] = azurite.ConnectionString;
                        shown.Append(" -ConnectionString $ConnectionString"); // never print the key
                    }
                    if (declared.Contains("Domain"))
                    {
                        parameters["Domain"] = Domain;
                        shown.Append(" -Domain ").Append(Domain);
                    }
                    if (declared.Contains("TableEndpoint"))
                    {
                        parameters["TableEndpoint"] = azurite.TableEndpoint;
                        shown.Append(" -TableEndpoint ").Append(azurite.TableEndpoint);
                    }
                    Invoke(runspace, ps => ps.AddScript("$global:LASTEXITCODE = 0"));
                    var errors = Show(runspace, host, shown.ToString(), ps =>
                    {
                        ps.AddCommand(script);
                        foreach (var p in parameters)
                        {
                            ps.AddParameter(p.Key, p.Value);
                        }
                    });
                    var exitCode = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
                    var scriptExit = exitCode is int code ? code : 0;
                    ok = errors == 0 && scriptExit == 0;
                    if (scriptExit != 0)
                    {
                        Note($"The script exited with code {scriptExit}.");
                    }
                }

                if (cancelled)
                {
                    Note("Cancelled.");
                    ok = false;
                }
                else if (options.Keep)
                {
                    Note($"Azurite keeps running. Table endpoint: {azurite.TableEndpoint} (account {AzuriteServer.AccountName}, the emulator's well-known key).");
                    Note("Press Enter to stop it.");
                    Console.ReadLine();
                }
                return ok ? 0 : 1;
            }
            catch (Exception ex)
            {
                Note("The sandbox failed: " + ex.Message);
                return 2;
            }
            finally
            {
                azurite?.Dispose();
            }
        }

        /// <summary>
        /// Shows "PS&gt; command" and runs it as pwsh runs a command line: errors merged into the
        /// output, everything through Out-Default, a terminating error reported by the host.
        /// Returns how many errors were shown.
        /// </summary>
        private static int Show(Runspace runspace, TextHost host, string commandLine, Action<PowerShell> build)
        {
            host.UI.WriteLine();
            host.UI.WriteLine("PS> " + commandLine);
            var errors = new List<object>();
            runspace.SessionStateProxy.SetVariable("__sandboxErrors", errors);
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            ps.AddCommand("ForEach-Object").AddParameter("Process", ScriptBlock.Create(
                "if ($_ -is [System.Management.Automation.ErrorRecord]) { $__sandboxErrors.Add($_) }; $_"));
            ps.AddCommand("Out-Default");
            lock (Gate)
            {
                current = ps;
            }
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                errors.Add(ex.ErrorRecord);
                ReportTerminatingError(runspace, host, ex.ErrorRecord);
            }
            catch (Exception ex)
            {
                errors.Add(ex);
                host.UI.WriteErrorLine(ex.Message);
            }
            finally
            {
                lock (Gate)
                {
                    current = null;
                }
                runspace.SessionStateProxy.PSVariable.Remove("__sandboxErrors");
            }
            return errors.Count;
        }

        /// <summary>As pwsh's host reports an error that stopped a command line: through Out-Default, to the error stream.</summary>
        private static void ReportTerminatingError(Runspace runspace, TextHost host, ErrorRecord error)
        {
            try
            {
                ErrorDisplay.WriteToErrorStream(runspace, error);
            }
            catch (Exception)
            {
                host.UI.WriteErrorLine(error.ToString());
            }
        }

        /// <summary>Runs a setup command quietly; returns its first error (or exception) as text, or null.</summary>
        private static string? Invoke(Runspace runspace, Action<PowerShell> build)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            try
            {
                ps.Invoke();
            }
            catch (Exception ex)
            {
                return ex.Message;
            }
            return ps.Streams.Error.Count > 0 ? ps.Streams.Error[0].ToString() : null;
        }

        private static HashSet<string> DeclaredParameters(string path) => ScriptParameters.Declared(Parser.ParseFile(path, out _, out _));

        private static string PromptPath(string script)
        {
            var relative = Path.GetRelativePath(RepoLayout.Root, script);
            return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
                ? "& '" + script.Replace("'", "''") + "'"
                : "./" + relative.Replace('\\', '/');
        }

        private static int SafeWindowWidth()
        {
            try
            {
                var w = Console.WindowWidth;
                return w >= 40 ? w : 120;
            }
            catch (Exception)
            {
                return 120;
            }
        }

        private static void Note(string message) => Console.Error.WriteLine("sandbox: " + message);

        private sealed class Options
        {
            public const string Usage =
                "Usage: dotnet run --project sandbox/RootMail.Sandbox [-- [--script <path>] [--keep] [--progress] [--width <n>]]\n" +
                "  Starts Azurite (in memory), imports out/RootMail and out/RootMail.Simulator, runs\n" +
                "  Connect-ExchangeOnline -Organization contoso.onmicrosoft.com -AcceptedDomain contoso.com, then\n" +
                "  samples/Quickstart.ps1 (or --script) with -ConnectionString and -Domain contoso.com when it declares them.\n" +
                "  --keep      keep Azurite running after the script until Enter is pressed\n" +
                "  --progress  show progress records as lines\n" +
                "  --width <n> formatting width (default: the console's, or 120 when redirected)";

            public string? Script { get; private set; }
            public bool Keep { get; private set; }
            public bool Progress { get; private set; }
            public bool Help { get; private set; }
            public int? Width { get; private set; }

            public static Options Parse(string[] args)
            {
                var o = new Options();
                for (var i = 0; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case "--script":
                            o.Script = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--script needs a path.");
                            break;
                        case "--keep":
                            o.Keep = true;
                            break;
                        case "--progress":
                            o.Progress = true;
                            break;
                        case "--width":
                            o.Width = i + 1 < args.Length && int.TryParse(args[++i], out var w) && w >= 40
                                ? w
                                : throw new ArgumentException("--width needs a number of at least 40.");
                            break;
                        case "-h":
                        case "--help":
                        case "-?":
                            o.Help = true;
                            break;
                        default:
                            throw new ArgumentException($"Unknown argument '{args[i]}'.");
                    }
                }
                return o;
            }
        }
    }
}
