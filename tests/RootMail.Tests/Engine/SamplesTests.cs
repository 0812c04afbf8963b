using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text.Json;
using RootMail.Testing;
using RootMail.Tests.Engine.FunctionsWorkerStandIn;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>
    /// The samples run as their platforms run them, in the hosted engine against Azurite and the Exchange simulator:
    /// the Azure Automation runbook, the pipeline script in Azure Pipelines and GitHub Actions mode, and the four
    /// functions of the Azure Functions app. Only what the platform itself provides is stood in for: the Functions
    /// worker's Push-OutputBinding, its [HttpResponseContext] and [HttpRequestContext] type accelerators (registered
    /// as the worker registers them), its module path, and the CI systems' environment variables.
    /// </summary>
    [Collection(RegistryCollection.Name)]
    public class SamplesTests : RegistryTestBase
    {
        public SamplesTests(AzuriteFixture azurite) : base(azurite) { }

        static string SamplePath(params string[] parts) => Path.Combine(new[] { RepoLayout.SamplesDir }.Concat(parts).ToArray());

        static readonly string Runbook = SamplePath("automation", "New-AwsRootAccountAlias.Runbook.ps1");
        static readonly string PipelineScript = SamplePath("pipelines", "New-AccountAlias.ps1");
        static readonly string FunctionApp = SamplePath("functions");

        readonly List<PsResult> results = new List<PsResult>();

        PsResult Track(PsResult result)
        {
            results.Add(result);
            return result;
        }

        /// <summary>The account key appears in no stream of any script this test ran, nor in anything a host showed.</summary>
        void AssertNoSecret(params PsHarness[] harnesses)
        {
            foreach (var result in results) Assert.DoesNotContain(Azurite.AccountKey, result.AllText());
            foreach (var harness in harnesses.Append(Ps)) Assert.DoesNotContain(Azurite.AccountKey, harness.HostText);
        }

        // ------------------------------------------------------------------------------------------------ runbook

        PsResult RunRunbook(PsHarness runspace, string arguments, params (string Name, object? Value)[] vars)
            => Track(runspace.Run("& $runbook -RegistryConnectionString $cs -TableName $table " + arguments, Vars(vars.Append(("runbook", (object?)Runbook)).ToArray())));

        [Fact]
        public void Runbook_claims_a_pre_provisioned_alias_with_no_Exchange_in_the_session_and_registers_it_on_the_second_run()
        {
            Setup(available: 3);
            var provisioned = Aliases().Keys.ToHashSet();
            var exchangeBefore = ExchangeCalls();
            // An Automation account without ExchangeOnlineManagement: had the runbook called Connect-ExchangeOnline, it would fail.
            using var automation = PsHarness.Create(importSimulator: false);
            const string request = "-RequestedBy Alice@Contoso.test -AccountName 'Payments Prod' -Organization $tenant";

            var first = RunRunbook(automation, request).EnsureSuccess().Single();
            var address = S(first, "Address");
            Assert.Equal("Assigned", S(first, "Status"));
            Assert.Equal("", S(first, "AccountId"));
            Assert.Equal("Payments Prod", S(first, "AccountName"));
            Assert.Equal("alice@contoso.test", S(first, "RequestedBy"));
            Assert.Contains(address, provisioned);

            // AWS created the account: the second run, with the account ID, registers the same address.
            var second = RunRunbook(automation, request + " -AccountId '012345678901'").EnsureSuccess().Single();
            Assert.Equal(address, S(second, "Address"));
            Assert.Equal("Registered", S(second, "Status"));
            Assert.Equal("012345678901", S(second, "AccountId"));

            // A job started again changes nothing and returns the same result.
            var again = RunRunbook(automation, request + " -AccountId '012345678901'").EnsureSuccess().Single();
            Assert.Equal(address, S(again, "Address"));
            Assert.Equal("Registered", S(again, "Status"));

            var aliases = Aliases();
            Assert.Equal(2, aliases.Values.Count(a => S(a, "Status") == "Available"));
            Assert.Equal("012345678901", S(aliases[address], "AccountId"));
            Assert.Equal(exchangeBefore, ExchangeCalls());
            AssertNoSecret(automation);
        }

        [Fact]
        public void Runbook_connects_to_Exchange_with_the_managed_identity_only_when_the_pool_needs_a_new_address()
        {
            Setup(mailboxes: 1);
            Run("Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            // ExchangeOnlineManagement's stand-in is imported, but nobody has connected: as in a fresh Automation job.
            using var automation = PsHarness.Create();

            var result = RunRunbook(automation, "-RequestedBy bob@contoso.test -AccountName 'Data Lake' -Organization $tenant -AccountId '000000000042'")
                .EnsureSuccess().Single();
            var address = S(result, "Address");
            Assert.Matches("^aws-data-lake-[a-z0-9]{8}@contoso\\.test$", address);
            Assert.Equal("Registered", S(result, "Status"));
            Assert.Equal("000000000042", S(result, "AccountId"));

            // The runbook's session is now connected to the tenant (Connect-ExchangeOnline -ManagedIdentity -Organization),
            // and the new address was added with one Set-Mailbox call.
            Assert.Equal("awsroot-001", S(automation.Run("Get-Mailbox -Identity awsroot-001").EnsureSuccess().Single(), "Name"));
            var stats = ExchangeStatistics();
            Assert.Equal(1, (int)PsResult.Property(stats, "SetMailbox")!);
            Assert.Equal(1, (int)PsResult.Property(stats, "AddressesAdded")!);
            Assert.Contains(address, ExchangeAddresses()["awsroot-001@contoso.test"]);
            AssertRegistryMatchesExchange();
            AssertNoSecret(automation);
        }

        [Fact]
        public void Runbook_without_Organization_fails_on_a_dry_pool_and_hands_out_nothing()
        {
            Setup(mailboxes: 1);
            using var automation = PsHarness.Create();
            var result = RunRunbook(automation, "-RequestedBy bob@contoso.test -AccountName 'Data Lake'");
            Assert.Equal("RootMail.ExchangeNotConnected", ErrorId(result));
            Assert.Contains("Connect-ExchangeOnline", result.Errors.Single().Exception.Message);
            Assert.Empty(Aliases());
            AssertNoSecret(automation);
        }

        [Fact]
        public void Runbook_checks_the_account_ID_before_it_hands_out_anything()
        {
            Setup(available: 2);
            using var automation = PsHarness.Create(importSimulator: false);
            var result = RunRunbook(automation, "-RequestedBy carol@contoso.test -AccountName 'Sandbox' -AccountId 12345678901");
            Assert.Equal("RootMail.InvalidAccountId", ErrorId(result));
            Assert.All(Aliases().Values, a => Assert.Equal("Available", S(a, "Status")));
            AssertNoSecret(automation);
        }

        // ------------------------------------------------------------------------------------------------ pipelines

        PsResult RunPipelineScript(string arguments = "")
            => Track(Run("& $script -RequestedBy alice@contoso.test -AccountName 'Payments Prod' -RegistryConnectionString $cs -TableName $table " + arguments,
                ("script", PipelineScript)));

        static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));

        [Fact]
        public void Pipeline_script_in_Azure_Pipelines_sets_an_output_variable_with_a_logging_command()
        {
            Setup(available: 3);
            using var environment = new EnvironmentScope();
            environment.Set("TF_BUILD", "True");
            environment.Set("GITHUB_ACTIONS", null);
            environment.Set("GITHUB_OUTPUT", null);

            var result = RunPipelineScript().EnsureSuccess();
            var alias = result.Single();
            Assert.Equal("RootMail.AwsRootAlias", alias.TypeNames[0]);
            Assert.Equal("Assigned", S(alias, "Status"));
            var address = S(alias, "Address");
            Assert.Contains($"##vso[task.setvariable variable=AwsRootEmail;isOutput=true]{address}", Lines(result.HostText));

            // Outside CI the script only returns the alias (the same one: the request is already served).
            environment.Set("TF_BUILD", null);
            var local = RunPipelineScript().EnsureSuccess();
            Assert.Equal(address, S(local.Single(), "Address"));
            Assert.DoesNotContain("##vso", local.HostText);
            AssertNoSecret();
        }

        [Fact]
        public void Pipeline_script_in_GitHub_Actions_appends_to_GITHUB_OUTPUT_and_a_re_run_publishes_the_same_alias()
        {
            Setup(available: 3);
            var outputFile = Path.Combine(Path.GetTempPath(), "rootmail-github-output-" + Guid.NewGuid().ToString("N"));
            using var environment = new EnvironmentScope();
            environment.Set("TF_BUILD", null);
            environment.Set("GITHUB_ACTIONS", "true");
            environment.Set("GITHUB_OUTPUT", outputFile);
            try
            {
                var first = RunPipelineScript("-OutputName root-email").EnsureSuccess();
                var address = S(first.Single(), "Address");
                var bytes = File.ReadAllBytes(outputFile);
                Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "GITHUB_OUTPUT must not start with a byte order mark");
                Assert.Equal($"root-email={address}\n", File.ReadAllText(outputFile));
                Assert.DoesNotContain("##vso", first.HostText);

                // "Re-run failed jobs": the requester's Assigned alias for this account name is published again.
                var again = RunPipelineScript("-OutputName root-email").EnsureSuccess();
                Assert.Equal(address, S(again.Single(), "Address"));
                Assert.Equal(new[] { $"root-email={address}", $"root-email={address}", "" }, Lines(File.ReadAllText(outputFile)));
                Assert.Equal(2, Aliases().Values.Count(a => S(a, "Status") == "Available"));
            }
            finally
            {
                File.Delete(outputFile);
            }
            AssertNoSecret();
        }

        // ------------------------------------------------------------------------------------------------ Azure Functions

        /// <summary>
        /// A Functions worker runspace for the sample app: the app settings as environment variables, RootMail (and the
        /// simulator, standing in for ExchangeOnlineManagement), the app's helper module (imported by path: the worker puts the
        /// app's Modules folder on PSModulePath), the worker's
        /// Push-OutputBinding and type accelerators, then profile.ps1, as at a cold start.
        /// </summary>
        sealed class FunctionWorker : IDisposable
        {
            readonly SamplesTests test;
            readonly EnvironmentScope environment = new EnvironmentScope();

            public FunctionWorker(SamplesTests test, IDictionary<string, string?> appSettings)
            {
                this.test = test;
                WorkerTypes.Register();
                foreach (var name in new[] { "ROOTMAIL_TABLE_ENDPOINT", "ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID", "ROOTMAIL_TABLE_NAME", "ROOTMAIL_POOL", "ROOTMAIL_EXCHANGE_ORGANIZATION", "ROOTMAIL_CONNECTION_STRING" })
                    environment.Set(name, appSettings.TryGetValue(name, out var value) ? value : null);
                Ps = PsHarness.Create();
                // The worker's Push-OutputBinding: it keeps the value per binding name and refuses a second value without -Force.
                test.Track(Ps.Run(@"
Import-Module -Name $module -ErrorAction Stop
$global:FunctionBindings = @{}
function global:Push-OutputBinding {
    param([Parameter(Mandatory = $true, Position = 0)] [string] $Name, [Parameter(Mandatory = $true, Position = 1)] [object] $Value, [switch] $Force)
    if ($global:FunctionBindings.ContainsKey($Name) -and -not $Force) { throw ""Output binding '$Name' is already set."" }
    $global:FunctionBindings[$Name] = $Value
}",
                    new Hashtable { ["module"] = Path.Combine(FunctionApp, "Modules", "RootMailFunctions", "RootMailFunctions.psd1") })).EnsureSuccess();
                Profile = test.Track(Ps.Run(". $profilePath", new Hashtable { ["profilePath"] = Path.Combine(FunctionApp, "profile.ps1") }));
            }

            public PsHarness Ps { get; }

            public PsResult Profile { get; }

            public FunctionResponse Call(string function, string method, IDictionary<string, string>? routeParams = null, IDictionary<string, string>? query = null, IDictionary? body = null)
            {
                var request = new HttpRequestContext
                {
                    Method = method.ToUpperInvariant(),
                    Url = "https://rootmail.azurewebsites.net/api/aliases",
                    Body = body is null ? null : new Hashtable(body, StringComparer.OrdinalIgnoreCase),
                };
                foreach (var (k, v) in routeParams ?? new Dictionary<string, string>()) request.Params[k] = v;
                foreach (var (k, v) in query ?? new Dictionary<string, string>()) request.Query[k] = v;
                var run = test.Track(Ps.Run("$global:FunctionBindings = @{}; & $runPath -Request $request -TriggerMetadata @{}",
                    new Hashtable { ["runPath"] = Path.Combine(FunctionApp, function, "run.ps1"), ["request"] = request })).EnsureSuccess();
                Assert.Empty(run.Output); // the function answers through its output binding only
                var bindings = (Hashtable)Ps.GetVariable("FunctionBindings")!;
                Assert.Equal(new[] { "Response" }, bindings.Keys.Cast<string>());
                var value = bindings["Response"];
                var response = Assert.IsType<HttpResponseContext>(value is PSObject pso ? pso.BaseObject : value);
                // What the worker sends: its JSON conversion of the body. Only plain values may be in it.
                var json = JsonSerializer.Serialize(Plain(response.Body));
                Assert.DoesNotContain(test.Azurite.AccountKey, json);
                return new FunctionResponse((int)response.StatusCode, response.ContentType, JsonDocument.Parse(json).RootElement.Clone(), run);
            }

            public void Dispose()
            {
                Ps.Dispose();
                environment.Dispose();
            }
        }

        public sealed record FunctionResponse(int Status, string ContentType, JsonElement Body, PsResult Run)
        {
            public string Text(string property) => Body.GetProperty(property).ValueKind == JsonValueKind.Null ? "" : Body.GetProperty(property).GetString()!;

            public override string ToString() => $"{Status} {Body}";
        }

        /// <summary>The body as plain .NET values, as the worker's JSON conversion sees them; anything else fails the test.</summary>
        static object? Plain(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool or int or long: return value;
                case IDictionary d:
                    var map = new Dictionary<string, object?>();
                    foreach (DictionaryEntry e in d) map[(string)e.Key] = Plain(e.Value);
                    return map;
                case IList list: return list.Cast<object?>().Select(Plain).ToList();
                default: throw new Xunit.Sdk.XunitException($"The response body holds a {value.GetType()}: the worker would not serialize it as plain JSON.");
            }
        }

        FunctionWorker NewWorker(params (string Name, string? Value)[] settings)
        {
            var all = new Dictionary<string, string?> { ["ROOTMAIL_CONNECTION_STRING"] = Azurite.ConnectionString, ["ROOTMAIL_TABLE_NAME"] = Table };
            foreach (var (name, value) in settings) all[name] = value;
            return new FunctionWorker(this, all);
        }

        static Dictionary<string, string> D(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

        static Hashtable Body(params (string Key, object? Value)[] pairs)
        {
            var h = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in pairs) h[k] = v;
            return h;
        }

        static void AssertError(FunctionResponse response, int status, string errorId)
        {
            Assert.True(response.Status == status, $"expected {status} {errorId}, got {response}");
            Assert.Equal(errorId, response.Text("error"));
            Assert.False(string.IsNullOrWhiteSpace(response.Text("message")));
        }

        [Fact]
        public void Functions_new_update_get_and_delete_an_alias_over_the_app_s_four_operations()
        {
            Setup(available: 3);
            using var worker = NewWorker();
            Assert.True(worker.Profile.Succeeded, worker.Profile.Describe());

            // new: POST /api/aliases
            var created = worker.Call("NewAlias", "post", body: Body(("requestedBy", "Alice@Contoso.test"), ("accountName", "Payments Prod")));
            Assert.Equal(201, created.Status);
            Assert.Equal("application/json", created.ContentType);
            var address = created.Text("address");
            Assert.Equal("Assigned", created.Text("status"));
            Assert.Equal("alice@contoso.test", created.Text("requestedBy"));
            Assert.Equal("Payments Prod", created.Text("accountName"));
            Assert.Equal("awsroot-001@contoso.test", created.Text("mailbox"));
            Assert.True(DateTimeOffset.TryParse(created.Text("assignedAt"), out _), created.ToString());

            // update: PUT /api/aliases/{address} with the account ID AWS gave the new account
            var registered = worker.Call("UpdateAlias", "put", D(("address", address)), body: Body(("accountId", "012345678901")));
            Assert.Equal(200, registered.Status);
            Assert.Equal("Registered", registered.Text("status"));
            Assert.Equal("012345678901", registered.Text("accountId"));
            Assert.Equal(200, worker.Call("UpdateAlias", "put", D(("address", address)), body: Body(("accountId", "012345678901"))).Status); // idempotent

            // get: by address (path or query), by account ID, by requester
            Assert.Equal(address, worker.Call("GetAlias", "get", D(("address", address))).Text("address"));
            Assert.Equal(address, worker.Call("GetAlias", "get", query: D(("address", address.ToUpperInvariant()))).Text("address"));
            var byAccount = worker.Call("GetAlias", "get", query: D(("accountId", "012345678901")));
            Assert.Equal(200, byAccount.Status);
            Assert.Equal(address, byAccount.Text("address"));
            var byRequester = worker.Call("GetAlias", "get", query: D(("requestedBy", "alice@contoso.test")));
            Assert.Equal(200, byRequester.Status);
            Assert.Equal(new[] { address }, byRequester.Body.GetProperty("aliases").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
            var nobody = worker.Call("GetAlias", "get", query: D(("requestedBy", "nobody@contoso.test")));
            Assert.Equal(200, nobody.Status);
            Assert.Equal(0, nobody.Body.GetProperty("aliases").GetArrayLength());

            // delete: DELETE /api/aliases?accountId=... retires it; the address stays on its mailbox
            var retired = worker.Call("RemoveAlias", "delete", query: D(("accountId", "012345678901")));
            Assert.Equal(200, retired.Status);
            Assert.Equal("Retired", retired.Text("status"));
            Assert.Contains(address, ExchangeAddresses()["awsroot-001@contoso.test"]);
            AssertError(worker.Call("GetAlias", "get", query: D(("accountId", "012345678901"))), 404, "RootMail.AliasNotFound");

            // delete with ?release=true: an alias whose account was never created goes back to Available
            var unused = worker.Call("NewAlias", "post", body: Body(("requestedBy", "bob@contoso.test"))).Text("address");
            var released = worker.Call("RemoveAlias", "delete", D(("address", unused)), D(("release", "true")));
            Assert.Equal(200, released.Status);
            Assert.Equal("Available", released.Text("status"));
            Assert.Equal("Available", S(Aliases()[unused], "Status"));
            AssertNoSecret(worker.Ps);
        }

        [Fact]
        public void Functions_answer_RootMail_errors_with_their_HTTP_status_id_and_message()
        {
            Setup(mailboxes: 1, capacity: 2, available: 2);
            using var worker = NewWorker();
            var a = worker.Call("NewAlias", "post", body: Body(("requestedBy", "a@contoso.test"))).Text("address");
            var b = worker.Call("NewAlias", "post", body: Body(("requestedBy", "b@contoso.test"))).Text("address");
            Assert.Equal(200, worker.Call("UpdateAlias", "put", D(("address", a)), body: Body(("accountId", "111111111111"))).Status);

            // 400: malformed values (RootMail.Invalid*) and requests that name no alias (the app's RootMail.InvalidRequest)
            AssertError(worker.Call("UpdateAlias", "put", D(("address", b)), body: Body(("accountId", 12345678901L))), 400, "RootMail.InvalidAccountId");
            AssertError(worker.Call("UpdateAlias", "put", D(("address", b)), body: Body()), 400, "RootMail.InvalidAccountId");
            AssertError(worker.Call("NewAlias", "post", body: Body(("requestedBy", "not an address"))), 400, "RootMail.InvalidEmailAddress");
            AssertError(worker.Call("NewAlias", "post"), 400, "RootMail.InvalidEmailAddress");
            AssertError(worker.Call("GetAlias", "get", query: D(("accountId", "12345"))), 400, "RootMail.InvalidAccountId");
            AssertError(worker.Call("GetAlias", "get"), 400, "RootMail.InvalidRequest");
            AssertError(worker.Call("GetAlias", "get", query: D(("accountId", "111111111111"), ("requestedBy", "a@contoso.test"))), 400, "RootMail.InvalidRequest");
            AssertError(worker.Call("RemoveAlias", "delete"), 400, "RootMail.InvalidRequest");

            // 404: no such alias, or nothing registered to the account
            AssertError(worker.Call("GetAlias", "get", D(("address", "aws-nothing-00000000@contoso.test"))), 404, "RootMail.AliasNotFound");
            AssertError(worker.Call("UpdateAlias", "put", D(("address", "aws-nothing-00000000@contoso.test")), body: Body(("accountId", "222222222222"))), 404, "RootMail.AliasNotFound");
            AssertError(worker.Call("RemoveAlias", "delete", query: D(("accountId", "999999999999"))), 404, "RootMail.AliasNotFound");

            // 409: one account, one alias, both ways; and a registered alias cannot be released
            var taken = worker.Call("UpdateAlias", "put", D(("address", b)), body: Body(("accountId", "111111111111")));
            AssertError(taken, 409, "RootMail.AccountAlreadyRegistered");
            Assert.Contains(a, taken.Text("message"));
            AssertError(worker.Call("UpdateAlias", "put", D(("address", a)), body: Body(("accountId", "333333333333"))), 409, "RootMail.AliasAlreadyRegistered");
            AssertError(worker.Call("RemoveAlias", "delete", D(("address", a)), D(("release", "true"))), 409, "RootMail.CannotRelease");

            // 503: the pool's mailbox is full and nothing is Available
            var exhausted = worker.Call("NewAlias", "post", body: Body(("requestedBy", "c@contoso.test")));
            AssertError(exhausted, 503, "RootMail.PoolExhausted");
            Assert.Contains(exhausted.Run.Warning, w => w.Message.Contains("RootMail.PoolExhausted")); // logged for the operators

            // Nothing of the failed requests was written.
            var aliases = Aliases();
            Assert.Equal(2, aliases.Count);
            Assert.Equal("Registered", S(aliases[a], "Status"));
            Assert.Equal("111111111111", S(aliases[a], "AccountId"));
            Assert.Equal("Assigned", S(aliases[b], "Status"));
            AssertNoSecret(worker.Ps);
        }

        [Fact]
        public void Functions_app_without_registry_settings_answers_500_and_says_which_setting_is_missing()
        {
            using var worker = NewWorker(("ROOTMAIL_CONNECTION_STRING", null), ("ROOTMAIL_TABLE_NAME", null));
            Assert.Contains(worker.Profile.Warning, w => w.Message.Contains("ROOTMAIL_TABLE_ENDPOINT"));
            var response = worker.Call("GetAlias", "get", query: D(("accountId", "012345678901")));
            AssertError(response, 500, "RootMail.RegistryNotConnected");
            Assert.Contains("ROOTMAIL_TABLE_ENDPOINT", response.Text("message"));
            AssertNoSecret(worker.Ps);
        }

        [Fact]
        public void Functions_app_adds_a_new_address_on_a_dry_pool_only_when_it_is_connected_to_Exchange()
        {
            Setup(mailboxes: 1);
            using (var registryOnly = NewWorker())
            {
                AssertError(registryOnly.Call("NewAlias", "post", body: Body(("requestedBy", "a@contoso.test"))), 503, "RootMail.ExchangeNotConnected");
                Assert.Empty(Aliases());
                AssertNoSecret(registryOnly.Ps);
            }

            using var withExchange = NewWorker(("ROOTMAIL_EXCHANGE_ORGANIZATION", Tenant));
            Assert.True(withExchange.Profile.Succeeded, withExchange.Profile.Describe());
            var created = withExchange.Call("NewAlias", "post", body: Body(("requestedBy", "a@contoso.test"), ("accountName", "Data Lake")));
            Assert.Equal(201, created.Status);
            Assert.Matches("^aws-data-lake-[a-z0-9]{8}@contoso\\.test$", created.Text("address"));
            Assert.Contains(created.Text("address"), ExchangeAddresses()["awsroot-001@contoso.test"]);
            AssertRegistryMatchesExchange();
            AssertNoSecret(withExchange.Ps);
        }
    }

    /// <summary>Sets process environment variables for a while and puts the old values back (null removes one).</summary>
    sealed class EnvironmentScope : IDisposable
    {
        readonly Dictionary<string, string?> saved = new Dictionary<string, string?>();

        public void Set(string name, string? value)
        {
            if (!saved.ContainsKey(name)) saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }
}

namespace RootMail.Tests.Engine.FunctionsWorkerStandIn
{
    /// <summary>
    /// Stand-ins for the PowerShell Functions worker's own types (Microsoft.Azure.Functions.PowerShellWorker), with
    /// their properties. The worker registers both as type accelerators, so that run.ps1 can write
    /// [HttpResponseContext]; <see cref="WorkerTypes.Register"/> does the same with these.
    /// </summary>
    public class HttpResponseContext
    {
        public object? Body { get; set; }
        public string ContentType { get; set; } = "text/plain";
        public bool EnableContentNegotiation { get; set; }
        public Dictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public HttpStatusCode StatusCode { get; set; } = HttpStatusCode.OK;
    }

    public class HttpRequestContext
    {
        public object? Body { get; set; }
        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public string Method { get; set; } = "GET";
        public string Url { get; set; } = "";
        public Dictionary<string, string> Params { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string> Query { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public object? RawBody { get; set; }
    }

    static class WorkerTypes
    {
        static readonly Lazy<bool> registered = new Lazy<bool>(() =>
        {
            var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators", throwOnError: true)!;
            var add = accelerators.GetMethod("Add", new[] { typeof(string), typeof(Type) })!;
            add.Invoke(null, new object[] { "HttpResponseContext", typeof(HttpResponseContext) });
            add.Invoke(null, new object[] { "HttpRequestContext", typeof(HttpRequestContext) });
            return true;
        });

        public static void Register() => _ = registered.Value;
    }
}
