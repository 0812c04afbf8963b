using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace RootMail.Testing
{
    /// <summary>
    /// Azurite's table service (tools/azurite, pinned in package-lock.json) as a child process on a
    /// loopback port, for tests and the sandbox.
    /// <para>
    /// Azurite runs under a tiny node bootstrap that shuts it down gracefully (saving its data) when
    /// its stdin closes. <see cref="Stop"/> closes stdin, so a restart with a
    /// <see cref="PersistDirectory"/> keeps the data; and if this process dies without cleaning up,
    /// the pipe closes too and Azurite goes away instead of lingering. Dispose (and process exit)
    /// kill the whole process tree if Azurite has not gone by itself.
    /// </para>
    /// </summary>
    public sealed class AzuriteServer : IDisposable
    {
        /// <summary>The emulator's well-known account.</summary>
        public const string AccountName = "devstoreaccount1";

        /// <summary>
        /// The emulator's well-known (public) account key. Tests scan every output stream for it to
        /// prove that RootMail never shows a connection string's secret.
        /// </summary>
        public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

        /// <summary>The Azurite version pinned in tools/azurite/package.json.</summary>
        public const string PinnedVersion = "3.37.0";

        private const string InstallLockFileName = "__azurite_install.lock"; // matches .gitignore's __azurite*
        private const int TailLines = 200;

        // Runs Azurite's table main.js in this node process; on EOF of stdin, asks it to shut down the
        // way its own IPC "shutdown" message does (server.close(), which saves the data), then exits.
        private const string Bootstrap =
            "const main = process.argv[1];" +
            "process.argv = [process.argv[0], main, ...process.argv.slice(2)];" +
            "let closing = false;" +
            "function shutdown() {" +
            "  if (closing) return; closing = true;" +
            "  if (process.listenerCount('message') > 0) {" +
            "    process.emit('message', 'shutdown');" +
            "    setTimeout(() => process.exit(0), 10000).unref();" +
            "  } else { process.exit(0); }" +
            "}" +
            "process.stdin.on('data', () => {});" +
            "process.stdin.on('end', shutdown);" +
            "process.stdin.on('error', shutdown);" +
            "process.stdin.resume();" +
            "require(main);";

        private static readonly object InstallGate = new object();
        private static readonly ConcurrentDictionary<AzuriteServer, byte> Live = new ConcurrentDictionary<AzuriteServer, byte>();
        private static int exitHookRegistered;

        private readonly object gate = new object();
        private readonly Queue<string> tail = new Queue<string>();
        private volatile Process? process;
        private string? workDirectory;
        private bool disposed;

        /// <param name="persistDirectory">
        /// null: data in memory only (lost on Stop/Restart). Otherwise Azurite keeps its data in this
        /// folder (created if missing) with --location, so Restart keeps it.
        /// </param>
        /// <param name="azuriteDir">tools/azurite by default.</param>
        public AzuriteServer(string? persistDirectory = null, string? azuriteDir = null)
        {
            PersistDirectory = persistDirectory == null ? null : Path.GetFullPath(persistDirectory);
            AzuriteDir = azuriteDir ?? RepoLayout.AzuriteDir;
        }

        /// <summary>Installs if needed, then starts a server (in memory unless <paramref name="persistDirectory"/>).</summary>
        public static AzuriteServer StartNew(int port = 0, string? persistDirectory = null)
        {
            var server = new AzuriteServer(persistDirectory);
            try
            {
                server.Start(port);
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        public string AzuriteDir { get; }

        public string? PersistDirectory { get; }

        /// <summary>The port of the last start (kept after Stop, so Start/Restart reuse it).</summary>
        public int Port { get; private set; }

        /// <summary>How long Start waits for Azurite to accept connections.</summary>
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public bool IsRunning
        {
            get
            {
                lock (gate)
                {
                    return process != null && !HasExited(process);
                }
            }
        }

        /// <summary>http://127.0.0.1:&lt;port&gt;/devstoreaccount1</summary>
        public string TableEndpoint => $"http://127.0.0.1:{RequirePort()}/{AccountName}";

        /// <summary>A full connection string, key included: never print it.</summary>
        public string ConnectionString =>
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

        /// <summary>The command line of the last start (node, bootstrap elided, main.js and flags).</summary>
        public string CommandLine { get; private set; } = "";

        /// <summary>The last lines Azurite wrote (stdout and stderr), for diagnostics.</summary>
        public string RecentOutput
        {
            get
            {
                lock (tail)
                {
                    return string.Join(Environment.NewLine, tail);
                }
            }
        }

        /// <summary>node_modules/azurite/dist/src/table/main.js, what node_modules/.bin/azurite-table points at.</summary>
        public static string TableMainScript(string? azuriteDir = null) =>
            Path.Combine(azuriteDir ?? RepoLayout.AzuriteDir, "node_modules", "azurite", "dist", "src", "table", "main.js");

        public static bool IsInstalled(string? azuriteDir = null)
        {
            var dir = azuriteDir ?? RepoLayout.AzuriteDir;
            return File.Exists(Path.Combine(dir, "node_modules", ".bin", "azurite-table"))
                && File.Exists(TableMainScript(dir));
        }

        /// <summary>
        /// Runs `npm ci --no-audit --no-fund` in tools/azurite when node_modules/.bin/azurite-table is
        /// missing. Installs are serialized across threads and processes (two test projects may start at
        /// once) with a lock file; whoever gets the lock second finds Azurite installed and returns.
        /// </summary>
        public static void EnsureInstalled(string? azuriteDir = null, TextWriter? log = null)
        {
            var dir = azuriteDir ?? RepoLayout.AzuriteDir;
            if (IsInstalled(dir))
            {
                return;
            }
            if (!File.Exists(Path.Combine(dir, "package-lock.json")))
            {
                throw new InvalidOperationException($"Cannot install Azurite: {Path.Combine(dir, "package-lock.json")} is missing.");
            }

            lock (InstallGate)
            {
                using (AcquireFileLock(Path.Combine(dir, InstallLockFileName), TimeSpan.FromMinutes(10)))
                {
                    if (IsInstalled(dir))
                    {
                        return;
                    }
                    log?.WriteLine($"Installing Azurite {PinnedVersion} with npm ci in {dir} ...");
                    var (exitCode, output) = RunToEnd(NpmStartInfo(dir, "ci", "--no-audit", "--no-fund"), TimeSpan.FromMinutes(10));
                    if (exitCode != 0 || !IsInstalled(dir))
                    {
                        throw new InvalidOperationException(
                            $"`npm ci --no-audit --no-fund` in {dir} failed (exit code {exitCode}); Azurite is not installed. " +
                            $"Node.js and npm must be installed and the npm registry reachable. npm said:{Environment.NewLine}{LastLines(output, 40)}");
                    }
                    log?.WriteLine("Azurite installed.");
                }
            }
        }

        /// <summary>
        /// Starts the table service: on <paramref name="port"/>, or when 0 on the port of the previous
        /// start, or else on a free loopback port. Returns once Azurite accepts connections.
        /// </summary>
        public void Start(int port = 0)
        {
            ThrowIfDisposed();
            EnsureInstalled(AzuriteDir);
            lock (gate)
            {
                if (process != null && !HasExited(process))
                {
                    throw new InvalidOperationException($"Azurite is already running on port {Port}.");
                }
                CleanUpProcess();

                var requested = port != 0 ? port : Port;
                var attempts = requested != 0 ? 1 : 3; // a picked port can be taken by someone else in between: pick again
                for (var attempt = 1; ; attempt++)
                {
                    var chosen = requested != 0 ? requested : FreeLoopbackPort();
                    try
                    {
                        StartOn(chosen);
                        return;
                    }
                    catch (AzuriteStartException) when (attempt < attempts)
                    {
                        CleanUpProcess();
                    }
                }
            }
        }

        /// <summary>
        /// Stops Azurite: a graceful shutdown (it saves its data when persisting), then a kill of the
        /// process tree if it has not exited within <paramref name="timeout"/> (default 15 s).
        /// </summary>
        public void Stop(TimeSpan? timeout = null)
        {
            lock (gate)
            {
                var p = process;
                if (p == null)
                {
                    return;
                }
                try
                {
                    if (!HasExited(p))
                    {
                        try
                        {
                            p.StandardInput.Close(); // the bootstrap shuts Azurite down on EOF
                        }
                        catch (Exception)
                        {
                            // already gone
                        }
                        if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds))
                        {
                            KillTree(p);
                        }
                    }
                    WaitUntilPortIsFree(Port, TimeSpan.FromSeconds(5));
                }
                finally
                {
                    CleanUpProcess();
                }
            }
        }

        /// <summary>Stop then start on the same port. Data survives only with a <see cref="PersistDirectory"/>.</summary>
        public void Restart()
        {
            var port = RequirePort();
            Stop();
            Start(port);
        }

        /// <summary>Kills Azurite at once (no graceful shutdown): an abrupt outage. Unsaved data may be lost.</summary>
        public void Kill()
        {
            lock (gate)
            {
                if (process != null)
                {
                    KillTree(process);
                }
                CleanUpProcess();
            }
        }

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }
            try
            {
                Stop(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                Kill();
            }
            finally
            {
                disposed = true;
                Live.TryRemove(this, out _);
                if (workDirectory != null)
                {
                    TryDeleteDirectory(workDirectory);
                    workDirectory = null;
                }
            }
        }

        public override string ToString() => Port == 0 ? "Azurite (not started)" : $"Azurite table service at {TableEndpoint}";

        private void StartOn(int port)
        {
            var main = TableMainScript(AzuriteDir);
            var args = new List<string>
            {
                "--tableHost", "127.0.0.1",
                "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            string cwd;
            if (PersistDirectory != null)
            {
                Directory.CreateDirectory(PersistDirectory);
                args.Add("--location");
                args.Add(PersistDirectory);
                cwd = PersistDirectory;
            }
            else
            {
                args.Add("--inMemoryPersistence");
                workDirectory ??= Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "rootmail-azurite-" + Guid.NewGuid().ToString("N"))).FullName;
                cwd = workDirectory;
            }
            args.AddRange(new[] { "--loose", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry" });

            var psi = new ProcessStartInfo("node")
            {
                WorkingDirectory = cwd,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(Bootstrap);
            psi.ArgumentList.Add(main);
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            CommandLine = "node <stdin-EOF bootstrap> " + Quote(main) + " " + string.Join(" ", args.Select(Quote));

            lock (tail)
            {
                tail.Clear();
            }
            var started = new ManualResetEventSlim(false);
            var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data == null)
                {
                    return;
                }
                lock (tail)
                {
                    tail.Enqueue(e.Data);
                    while (tail.Count > TailLines)
                    {
                        tail.Dequeue();
                    }
                }
                if (e.Data.IndexOf("successfully started", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    started.Set();
                }
            };
            p.OutputDataReceived += onLine;
            p.ErrorDataReceived += onLine;
            try
            {
                p.Start();
            }
            catch (Exception ex)
            {
                p.Dispose();
                throw new InvalidOperationException("Could not start node to run Azurite: is Node.js installed and on PATH? " + ex.Message, ex);
            }
            process = p;
            Port = port;
            RegisterExitHook();
            Live[this] = 0;
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();

            var deadline = DateTime.UtcNow + StartTimeout;
            while (true)
            {
                if (HasExited(p))
                {
                    p.WaitForExit(); // drain the output
                    throw new AzuriteStartException(
                        $"Azurite exited with code {SafeExitCode(p)} before accepting connections on 127.0.0.1:{port}.{Environment.NewLine}" +
                        $"Command: {CommandLine}{Environment.NewLine}Azurite said:{Environment.NewLine}{RecentOutput}");
                }
                if (started.Wait(100) && CanConnect(port))
                {
                    return;
                }
                if (DateTime.UtcNow > deadline)
                {
                    var said = RecentOutput;
                    KillTree(p);
                    throw new TimeoutException(
                        $"Azurite did not accept connections on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}" +
                        $"Command: {CommandLine}{Environment.NewLine}Azurite said:{Environment.NewLine}{said}");
                }
            }
        }

        private int RequirePort()
        {
            if (Port == 0)
            {
                throw new InvalidOperationException("Azurite has not been started: call Start() first.");
            }
            return Port;
        }

        private void CleanUpProcess()
        {
            var p = process;
            process = null;
            if (p == null)
            {
                return;
            }
            try
            {
                if (!HasExited(p))
                {
                    KillTree(p);
                }
                p.WaitForExit(2000);
            }
            catch (Exception)
            {
                // best effort
            }
            p.Dispose();
        }

        private void ThrowIfDisposed()
        {
            if (disposed)
            {
                throw new ObjectDisposedException(nameof(AzuriteServer));
            }
        }

        private static void RegisterExitHook()
        {
            if (Interlocked.Exchange(ref exitHookRegistered, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    // No locks here: a thread stuck in Start must not keep the process from exiting.
                    foreach (var server in Live.Keys.ToArray())
                    {
                        var p = server.process;
                        if (p != null)
                        {
                            KillTree(p);
                        }
                    }
                };
            }
        }

        private static void KillTree(Process p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
                p.WaitForExit(5000);
            }
            catch (Exception)
            {
                // it exited in between, or cannot be touched any more
            }
        }

        private static bool HasExited(Process p)
        {
            try
            {
                return p.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        private static string SafeExitCode(Process p)
        {
            try
            {
                return p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception)
            {
                return "?";
            }
        }

        /// <summary>A port that is free on 127.0.0.1 right now.</summary>
        public static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }

        private static bool CanConnect(int port)
        {
            try
            {
                using var client = new TcpClient();
                var task = client.ConnectAsync(IPAddress.Loopback, port);
                return task.Wait(1000) && client.Connected;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static void WaitUntilPortIsFree(int port, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (port != 0 && CanConnect(port) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }

        private static ProcessStartInfo NpmStartInfo(string dir, params string[] args)
        {
            ProcessStartInfo psi;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                psi = new ProcessStartInfo("cmd.exe");
                psi.ArgumentList.Add("/d");
                psi.ArgumentList.Add("/c");
                psi.ArgumentList.Add("npm");
            }
            else
            {
                psi = new ProcessStartInfo("npm");
            }
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            psi.WorkingDirectory = dir;
            psi.UseShellExecute = false;
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.CreateNoWindow = true;
            return psi;
        }

        private static (int ExitCode, string Output) RunToEnd(ProcessStartInfo psi, TimeSpan timeout)
        {
            var output = new StringBuilder();
            using var p = new Process { StartInfo = psi };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (output)
                    {
                        output.AppendLine(e.Data);
                    }
                }
            };
            p.OutputDataReceived += onLine;
            p.ErrorDataReceived += onLine;
            try
            {
                p.Start();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Could not run {psi.FileName}: is Node.js (with npm) installed and on PATH? {ex.Message}", ex);
            }
            p.StandardInput.Close();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                KillTree(p);
                return (-1, output + $"(timed out after {timeout.TotalMinutes:0} minutes)");
            }
            p.WaitForExit();
            lock (output)
            {
                return (p.ExitCode, output.ToString());
            }
        }

        private static IDisposable AcquireFileLock(string path, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    // Never deleted: deleting a lock file lets two waiters lock two different files.
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(250);
                }
                catch (UnauthorizedAccessException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(250);
                }
            }
        }

        private static string LastLines(string text, int count)
        {
            var lines = text.Split(new[] { '\n' }, StringSplitOptions.None).Select(l => l.TrimEnd('\r')).ToArray();
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - count)));
        }

        private static string Quote(string s) => s.IndexOf(' ') >= 0 ? "\"" + s + "\"" : s;

        private static void TryDeleteDirectory(string path)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception)
            {
                // a temp folder; never fail over it
            }
        }

        private sealed class AzuriteStartException : Exception
        {
            public AzuriteStartException(string message) : base(message)
            {
            }
        }
    }
}
