using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using RootMail.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RootMail.Tests
{
    /// <summary>Smoke tests of the test infrastructure that needs Azurite.</summary>
    [Collection(RegistryCollection.Name)]
    public sealed class InfrastructureTests
    {
        private readonly AzuriteFixture azurite;

        public InfrastructureTests(AzuriteFixture azurite)
        {
            this.azurite = azurite;
        }

        [Fact]
        public async Task Azurite_answers_on_its_table_endpoint()
        {
            Assert.StartsWith("http://127.0.0.1:", azurite.TableEndpoint);
            Assert.EndsWith("/devstoreaccount1", azurite.TableEndpoint);
            Assert.Contains("AccountKey=" + AzuriteServer.AccountKey, azurite.ConnectionString);
            Assert.Contains("TableEndpoint=" + azurite.TableEndpoint, azurite.ConnectionString);

            using var http = new HttpClient();
            using var response = await http.GetAsync(azurite.TableEndpoint + "/Tables");
            // Unsigned: refused, but by Azurite's table service.
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains(response.Headers.Server, s => s.Product?.Name == "Azurite-Table");
        }

        [Fact]
        public void Restart_keeps_the_data_on_the_same_port()
        {
            var table = TestNames.Table();
            var port = azurite.Port;
            TableRest.CreateTable(azurite.TableEndpoint, table);
            Assert.Contains(table, TableRest.ListTables(azurite.TableEndpoint));

            azurite.Restart();

            Assert.Equal(port, azurite.Port);
            Assert.True(azurite.Server.IsRunning);
            Assert.Contains(table, TableRest.ListTables(azurite.TableEndpoint));
        }

        [Fact]
        public void Stop_makes_the_registry_unreachable_until_Start()
        {
            try
            {
                azurite.Stop();
                Assert.False(azurite.Server.IsRunning);
                Assert.ThrowsAny<Exception>(() => TableRest.ListTables(azurite.TableEndpoint));
            }
            finally
            {
                azurite.Start();
            }
            Assert.NotNull(TableRest.ListTables(azurite.TableEndpoint));
        }

        [Fact]
        public void A_second_in_memory_server_starts_on_another_free_port_and_goes_away_on_Dispose()
        {
            int port;
            var server = AzuriteServer.StartNew();
            using (server)
            {
                port = server.Port;
                Assert.NotEqual(azurite.Port, port);
                Assert.Null(server.PersistDirectory);
                var table = TestNames.Table();
                TableRest.CreateTable(server.TableEndpoint, table);
                server.Restart();
                Assert.DoesNotContain(table, TableRest.ListTables(server.TableEndpoint)); // in memory: gone
            }
            Assert.False(server.IsRunning);
            Assert.ThrowsAny<Exception>(() => TableRest.ListTables($"http://127.0.0.1:{port}/devstoreaccount1"));
        }

        [Fact]
        public void AllText_finds_a_secret_passed_as_a_parameter_wherever_it_shows_up()
        {
            using var ps = PsHarness.Bare();
            var clean = ps.Run("param($ConnectionString) 'connected'", new Hashtable { ["ConnectionString"] = azurite.ConnectionString });
            Assert.True(clean.Succeeded, clean.Describe());
            Assert.DoesNotContain(AzuriteServer.AccountKey, clean.AllText());

            var leakyOutput = ps.Run("[pscustomobject]@{ Name = 'x'; Inner = [pscustomobject]@{ Secret = $cs } }", new Hashtable { ["cs"] = azurite.ConnectionString });
            Assert.Contains(AzuriteServer.AccountKey, leakyOutput.AllText());

            var leakyError = ps.Run("throw [System.InvalidOperationException]::new('outer', [System.Exception]::new(\"inner $cs\"))",
                new Hashtable { ["cs"] = azurite.ConnectionString });
            Assert.False(leakyError.Succeeded);
            Assert.Contains(AzuriteServer.AccountKey, leakyError.AllText());
            Assert.DoesNotContain(AzuriteServer.AccountKey, leakyError.Errors[0].ToString());
        }

        /// <summary>Minimal signed calls to the Table service (SharedKeyLite), to check Azurite without the product.</summary>
        private static class TableRest
        {
            public static void CreateTable(string endpoint, string table)
            {
                using var request = Signed(HttpMethod.Post, endpoint, "Tables");
                request.Content = new StringContent("{\"TableName\":\"" + table + "\"}", Encoding.UTF8, "application/json");
                Send(request, HttpStatusCode.Created, HttpStatusCode.NoContent);
            }

            public static string ListTables(string endpoint)
            {
                using var request = Signed(HttpMethod.Get, endpoint, "Tables");
                return Send(request, HttpStatusCode.OK);
            }

            private static HttpRequestMessage Signed(HttpMethod method, string endpoint, string resource)
            {
                var uri = new Uri(endpoint.TrimEnd('/') + "/" + resource);
                var date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
                var canonical = "/" + AzuriteServer.AccountName + uri.AbsolutePath;
                using var hmac = new HMACSHA256(Convert.FromBase64String(AzuriteServer.AccountKey));
                var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(date + "\n" + canonical)));
                var request = new HttpRequestMessage(method, uri);
                request.Headers.TryAddWithoutValidation("x-ms-date", date);
                request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
                request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0;NetFx");
                request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
                request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {AzuriteServer.AccountName}:{signature}");
                return request;
            }

            private static string Send(HttpRequestMessage request, params HttpStatusCode[] expected)
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var response = http.SendAsync(request).GetAwaiter().GetResult();
                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                if (!expected.Contains(response.StatusCode))
                {
                    throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}");
                }
                return body;
            }
        }
    }

    /// <summary>Smoke tests of the engine harness and the text host (no Azurite).</summary>
    [Collection(EngineCollection.Name)]
    public sealed class EngineInfrastructureTests
    {
        private readonly ITestOutputHelper log;

        public EngineInfrastructureTests(ITestOutputHelper log)
        {
            this.log = log;
        }

        [Fact]
        public void RepoLayout_finds_the_repository()
        {
            Assert.True(File.Exists(Path.Combine(RepoLayout.Root, "RootMail.sln")));
            Assert.EndsWith(Path.Combine("out", "RootMail", "RootMail.psd1"), RepoLayout.RootMailManifest);
            Assert.EndsWith(Path.Combine("out", "RootMail.Simulator", "RootMail.Simulator.psd1"), RepoLayout.SimulatorManifest);
            Assert.True(File.Exists(Path.Combine(RepoLayout.AzuriteDir, "package-lock.json")));
            Assert.EndsWith("samples", RepoLayout.SamplesDir);
        }

        [Fact]
        public void Run_captures_output_errors_and_every_stream()
        {
            using var ps = PsHarness.Bare();
            var result = ps.Run(@"
                function Test-Streams {
                    [CmdletBinding()] param([string] $Name)
                    $PSCmdlet.WriteVerbose(""verbose $Name"")
                    $PSCmdlet.WriteWarning(""warning $Name"")
                    $PSCmdlet.WriteDebug(""debug $Name"")
                    $PSCmdlet.WriteInformation(""information $Name"", [string[]] @('tag'))
                    $PSCmdlet.WriteProgress([System.Management.Automation.ProgressRecord]::new(1, 'Working', ""step $Name"") )
                    [pscustomobject]@{ Name = $Name; Value = 42 }
                }
                $DebugPreference = 'Continue' # not -Debug: that makes warnings prompt (Inquire)
                Test-Streams -Name $who -Verbose -InformationAction Continue
                $DebugPreference = 'SilentlyContinue'
                Get-Command -Name Get-NoSuchThing
            ", new Hashtable { ["who"] = "alice" });

            var item = Assert.Single(result.Output);
            Assert.Equal("alice", PsResult.Property(item, "Name"));
            Assert.Equal(42, PsResult.Property(item, "Value"));
            var error = Assert.Single(result.Errors);
            Assert.Equal("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", error.FullyQualifiedErrorId);
            Assert.Null(result.TerminatingError);
            Assert.Equal("verbose alice", Assert.Single(result.Verbose).Message);
            Assert.Equal("warning alice", Assert.Single(result.Warning).Message);
            Assert.Equal("debug alice", Assert.Single(result.Debug).Message);
            Assert.Equal("information alice", Assert.Single(result.Information).MessageData?.ToString());
            Assert.Equal("step alice", Assert.Single(result.Progress).StatusDescription);

            // The host shows what pwsh shows, with pwsh's prefixes.
            Assert.Contains("VERBOSE: verbose alice", result.HostText);
            Assert.Contains("WARNING: warning alice", result.HostText);
            Assert.Contains("DEBUG: debug alice", result.HostText);
            Assert.Contains("information alice", result.HostText); // -InformationAction Continue shows it, unprefixed
            Assert.DoesNotContain("[Working]", result.HostText); // progress hidden unless ShowProgress

            var all = result.AllText();
            foreach (var expected in new[] { "alice", "42", "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", "Get-NoSuchThing",
                         "System.Management.Automation.CommandNotFoundException", "verbose alice", "warning alice", "debug alice", "information alice", "step alice" })
            {
                Assert.Contains(expected, all);
            }
        }

        [Fact]
        public void Run_reports_a_terminating_error_and_keeps_the_output_before_it()
        {
            using var ps = PsHarness.Bare();
            var result = ps.Run("'before'; Get-Command -Name Get-NoSuchThing -ErrorAction Stop; 'after'");
            Assert.Equal(new[] { "before" }, result.Output.Select(o => o.ToString()));
            Assert.NotNull(result.TerminatingError);
            Assert.StartsWith("CommandNotFoundException,", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.False(result.Succeeded);

            var parse = ps.Run("if (");
            Assert.NotNull(parse.TerminatingError);
        }

        [Fact]
        public void Run_passes_parameters_to_a_param_block_and_keeps_state_between_runs()
        {
            using var ps = PsHarness.Bare();
            Assert.Equal("3", ps.Run("param([int] $a, [int] $b) $a + $b", new Hashtable { ["a"] = 1, ["b"] = 2 }).Single().ToString());
            ps.Run("$kept = 'still here'; function Get-Kept { $kept }").EnsureSuccess();
            Assert.Equal("still here", ps.Run("Get-Kept").Single().ToString());
            Assert.Equal("still here", ps.GetVariable("kept"));
        }

        [Fact]
        public void RenderDefault_shows_a_formatted_table_and_errors_as_pwsh_does()
        {
            using var ps = PsHarness.Bare();
            var text = ps.RenderDefault("[pscustomobject]@{ Address = 'a@contoso.com'; Status = 'Available' }, [pscustomobject]@{ Address = 'b@contoso.com'; Status = 'Assigned' }");
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r').TrimEnd()).Where(l => l.Length > 0).ToList();
            Assert.Equal(new[] { "Address       Status", "-------       ------", "a@contoso.com Available", "b@contoso.com Assigned" }, lines);
            Assert.False(text.Contains('\u001b'), "ANSI sequences in plain text rendering"); // ordinal: culture-aware search ignores control characters

            var withError = ps.Render("'shown'; Get-Command -Name Get-NoSuchThing; 'after'");
            log.WriteLine(text + withError.HostText);
            Assert.Contains("shown", withError.HostText);
            Assert.Contains("after", withError.HostText);
            Assert.Contains("The term 'Get-NoSuchThing' is not recognized", withError.HostText);
            Assert.StartsWith("CommandNotFoundException,", Assert.Single(withError.Errors).FullyQualifiedErrorId);

            var thrown = ps.Render("'first'; throw 'boom from the script'");
            log.WriteLine(thrown.HostText);
            Assert.Contains("first", thrown.HostText);
            Assert.Contains("boom from the script", thrown.HostText);
            Assert.NotNull(thrown.TerminatingError);
        }

        [Fact]
        public void TextHost_renders_progress_only_when_asked_and_honours_its_width()
        {
            var writer = new StringWriter();
            using var ps = new PsHarness(new PsHarnessOptions
            {
                ImportRootMail = false,
                ImportSimulator = false,
                Host = new TextHost(writer, width: 60) { ShowProgress = true },
            });
            var result = ps.Run("function p { [CmdletBinding()] param() $r = [System.Management.Automation.ProgressRecord]::new(1, 'Provision', 'Adding aliases'); $r.PercentComplete = 40; $PSCmdlet.WriteProgress($r) }; p");
            Assert.Contains("[Provision] Adding aliases (40%)", writer.ToString());
            Assert.Contains("[Provision] Adding aliases (40%)", result.HostText); // copied for the result too

            var wide = ps.RenderDefault("[pscustomobject]@{ A = 'x' * 100; B = 'y' }");
            Assert.All(wide.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 60, $"longer than 60: '{l}'"));
        }

        [Fact]
        public void TextHost_answers_confirm_prompts_from_its_input()
        {
            using var ps = new PsHarness(new PsHarnessOptions { ImportRootMail = false, ImportSimulator = false });
            ps.Host.Input = new StringReader("n\ny\n");
            var result = ps.Run(@"
                function Remove-Thing { [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')] param($Name)
                    if ($PSCmdlet.ShouldProcess($Name, 'Remove')) { ""removed $Name"" } }
                Remove-Thing -Name one; Remove-Thing -Name two");
            Assert.Equal(new[] { "removed two" }, result.Output.Select(o => o.ToString()));
            Assert.Contains("[Y] Yes", result.HostText);

            ps.Host.Input = null;
            var refused = ps.Run("Remove-Thing -Name three");
            Assert.False(refused.Succeeded);
            Assert.Contains("non-interactive", refused.AllText());
        }

        [Fact]
        public void RunConcurrently_runs_separate_runspaces_at_once()
        {
            var results = PsHarness.RunConcurrently(4,
                i => $"[pscustomobject]@{{ Index = {i}; Runspace = [runspace]::DefaultRunspace.InstanceId; Thread = [System.Threading.Thread]::CurrentThread.ManagedThreadId; Base = $base }}",
                new Hashtable { ["base"] = "shared" },
                setup: i => "$null = 1",
                options: new PsHarnessOptions { ImportRootMail = false, ImportSimulator = false });
            Assert.Equal(4, results.Count);
            Assert.All(results, r => Assert.True(r.Succeeded, r.Describe()));
            Assert.Equal(new object[] { 0, 1, 2, 3 }, results.Select(r => PsResult.Property(r.Single(), "Index")));
            Assert.Equal(4, results.Select(r => PsResult.Property(r.Single(), "Runspace")).Distinct().Count());
            Assert.Equal(4, results.Select(r => PsResult.Property(r.Single(), "Thread")).Distinct().Count());
            Assert.All(results, r => Assert.Equal("shared", PsResult.Property(r.Single(), "Base")));
        }

        [RequiresModuleFact(BuiltModule.Simulator)]
        public void Harness_imports_the_simulator_and_renders_its_commands()
        {
            using var ps = PsHarness.Create(importRootMail: false, importSimulator: true);
            var commands = ps.Run("Get-Command -Module RootMail.Simulator");
            Assert.True(commands.Succeeded, commands.Describe());
            var names = commands.Output.Select(o => PsResult.Property(o, "Name")?.ToString()).ToList();
            Assert.Contains("Connect-ExchangeOnline", names);
            Assert.Contains("Get-Mailbox", names);

            var table = ps.RenderDefault("Get-Command -Module RootMail.Simulator");
            log.WriteLine(table);
            Assert.Matches(@"CommandType\s+Name\s+Version\s+Source", table);
            Assert.Contains("Connect-ExchangeOnline", table);

            // This engine has only the core commands: Get-Item itself is missing, which is an error too.
            var missing = ps.Run("Get-Item -Path /nonexistent");
            Assert.False(missing.Succeeded);
            Assert.Contains("Get-Item", Assert.Single(missing.Errors).ToString());
        }

        [RequiresModuleFact(BuiltModule.RootMail, BuiltModule.Simulator)]
        public void Harness_imports_both_modules()
        {
            using var ps = PsHarness.Create();
            var modules = ps.Run("Get-Module | ForEach-Object Name");
            Assert.True(modules.Succeeded, modules.Describe());
            Assert.Contains("RootMail", modules.Output.Select(o => o.ToString()));
            Assert.Contains("RootMail.Simulator", modules.Output.Select(o => o.ToString()));
        }
    }
}
