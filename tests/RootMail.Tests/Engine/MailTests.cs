using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RootMail.Testing;
using System.Collections.Generic;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace RootMail.Tests.Engine
{
    internal static class MailTestSettings
    {
        /// <summary>-Wait polls every 100 ms (growing to 300 ms) instead of seconds, so the waiting tests take a second or two.</summary>
        [ModuleInitializer]
        internal static void FastMailPolling() => Environment.SetEnvironmentVariable("ROOTMAIL_MAIL_POLL_MS", "100,300");
    }

    /// <summary>
    /// Get-AwsRootMail through the real Microsoft Graph SDK against a fake Graph on 127.0.0.1, with the registry in
    /// Azurite and the pool's mailboxes in the Exchange simulator: filtering, ordering, paging, codes, waiting,
    /// throttling, errors and secrets.
    /// </summary>
    [Collection(RegistryCollection.Name)]
    public class MailTests : RegistryTestBase
    {
        const string Mailbox = "awsroot-001@contoso.test";
        const string Main = "aws-admins@contoso.test";
        readonly string _token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-graph-token." + Guid.NewGuid().ToString("N");
        readonly FakeGraphServer _graph;
        readonly string _a;
        readonly string _b;
        static readonly DateTimeOffset T0 = new DateTimeOffset(2024, 5, 14, 9, 0, 0, TimeSpan.Zero);

        readonly ITestOutputHelper _output;

        public MailTests(AzuriteFixture azurite, ITestOutputHelper output) : base(azurite)
        {
            _output = output;
            _graph = new FakeGraphServer(_token);
            _graph.AddMailbox(Mailbox);
            _graph.AddMailbox(Main);
            Run("Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -GraphEndpoint $graph -GraphAccessToken $token | Out-Null",
                ("graph", _graph.Endpoint), ("token", Secure(_token))).EnsureSuccess();
            Setup(mailboxes: 1, available: 3);
            _a = S(Run("New-AwsRootAlias -RequestedBy alice@contoso.test -AccountName prod").EnsureSuccess().Single(), "Address");
            _b = S(Run("New-AwsRootAlias -RequestedBy bob@contoso.test -AccountName dev").EnsureSuccess().Single(), "Address");
            Run("Register-AwsAccountAlias -Address $a -AccountId '012345678901'", ("a", _a)).EnsureSuccess();
        }

        public override void Dispose()
        {
            base.Dispose();
            _graph.Dispose();
        }

        static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        PsResult Mail(string arguments, params (string Name, object? Value)[] vars)
            => Run("Get-AwsRootMail " + arguments, vars.Concat(new (string, object?)[] { ("a", _a), ("b", _b) }).ToArray());

        FakeMessage Add(string to, int minutes, AwsMailSample? sample = null, string? mailbox = null, string[]? cc = null)
            => _graph.Add(mailbox ?? Mailbox, new FakeMessage
            {
                ReceivedAt = T0.AddMinutes(minutes), To = new[] { to }, Cc = cc ?? Array.Empty<string>(),
                Subject = sample?.Subject ?? $"Message {minutes}", Body = sample?.Body ?? $"Body of message {minutes}.", FromAddress = sample?.From ?? "no-reply@signup.aws",
            });

        /// <summary>Waits (up to 20 s) until the fake Graph has answered at least <paramref name="count"/> requests.</summary>
        void AwaitRequests(int count)
        {
            var clock = Stopwatch.StartNew();
            while (_graph.Requests.Count < count)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"only {_graph.Requests.Count} Graph requests after 20 s");
                Thread.Sleep(20);
            }
        }

        [Fact]
        public void Lists_only_the_alias_mail_newest_first_with_one_registry_read()
        {
            Add(_a, 1);
            Add(_b, 2);
            Add(_a.ToUpperInvariant(), 3);                             // recipients compare case-insensitively
            Add("someone@contoso.test", 4, cc: new[] { _a });        // Cc counts
            Add("aws-other@contoso.test", 5);
            Add(_b, 6);

            var result = Mail("-Address $a -Verbose").EnsureSuccess();
            Assert.Equal(new[] { "Message 4", "Message 3", "Message 1" }, result.Output.Select(m => S(m, "Subject")));
            var first = result.Output[0];
            Assert.Equal("RootMail.AwsRootMessage", first.TypeNames[0]);
            Assert.Equal(_a, S(first, "Address"));
            Assert.Equal(Mailbox, S(first, "Mailbox"));
            Assert.Equal("no-reply@signup.aws", S(first, "From"));
            Assert.Equal("Body of message 4.", S(first, "Preview"));
            Assert.Equal("012345678901", S(first, "AccountId"));
            Assert.Equal(T0.AddMinutes(4), (DateTimeOffset)PsResult.Property(first, "ReceivedAt")!);
            Assert.StartsWith("AAMk", S(first, "MessageId"));
            Assert.Equal(1, RoundTrips(result).Registry);                 // the alias row, nothing else
            Assert.Contains(result.Verbose, v => v.Message == "RootMail: 1 Graph requests.");

            var request = Assert.Single(_graph.Requests);
            Assert.Equal("/v1.0/users/" + Mailbox + "/messages", request.Path);
            Assert.Equal("receivedDateTime desc", request.Query["$orderby"]);
            Assert.False(request.Query.ContainsKey("$filter"));
            Assert.Equal("id,receivedDateTime,from,toRecipients,ccRecipients,subject,bodyPreview,body", request.Query["$select"]);
            Assert.Contains("outlook.body-content-type", request.Prefer);

            // By AWS account: two registry reads. Through the pipeline: the alias objects bind by property name.
            Assert.Equal(3, Mail("-AccountId '012345678901'").EnsureSuccess().Output.Count);
            var piped = Run("Get-AwsRootAlias -RequestedBy bob@contoso.test | Get-AwsRootMail").EnsureSuccess();
            Assert.Equal(new[] { "Message 6", "Message 2" }, piped.Output.Select(m => S(m, "Subject")));
        }

        [Fact]
        public void Shows_a_readable_table()
        {
            Add(_a, 1, AwsMailSamples.SignUpVerification);
            var text = Ps.RenderDefault("Get-AwsRootMail -Address $a", Vars(("a", _a)));
            _output.WriteLine(text);
            Assert.Contains("ReceivedAt", text);
            Assert.Contains("Code", text);
            Assert.Contains("AWS Email Verification", text);
            Assert.Contains("739024", text);
            Assert.Contains(T0.AddMinutes(1).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), text);
        }

        [Fact]
        public void Follows_pages_and_asks_for_no_more_than_needed()
        {
            _graph.PageSize = 3;
            for (int i = 1; i <= 10; i++)
            {
                Add(_a, 2 * i);
                Add(_b, 2 * i + 1);
            }
            var all = Mail("-Address $a").EnsureSuccess();
            Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => $"Message {2 * i}"), all.Output.Select(m => S(m, "Subject")));
            Assert.Equal(7, _graph.Requests.Count);                   // 20 messages, 3 a page
            Assert.Equal(new[] { "3", "6", "9", "12", "15", "18" }, _graph.Requests.Skip(1).Select(r => r.Query["$skip"])); // the next links
            Assert.All(_graph.Requests, r => Assert.True(r.Authorized));

            _graph.ClearRequests();
            var two = Mail("-Address $a -First 2").EnsureSuccess();
            Assert.Equal(new[] { "Message 20", "Message 18" }, two.Output.Select(m => S(m, "Subject")));
            Assert.Equal(2, _graph.Requests.Count);                   // the 2nd of a's messages is on the 2nd page: no 3rd page
        }

        [Fact]
        public void Since_filters_on_the_server_and_First_limits()
        {
            for (int i = 1; i <= 6; i++) Add(_a, i * 10);
            var since = Mail("-Address $a -Since $since", ("since", T0.AddMinutes(30).UtcDateTime)).EnsureSuccess();
            Assert.Equal(new[] { "Message 60", "Message 50", "Message 40", "Message 30" }, since.Output.Select(m => S(m, "Subject")));
            Assert.Equal("receivedDateTime ge 2024-05-14T09:30:00Z", _graph.Requests.Last().Query["$filter"]);

            var first = Mail("-Address $a -Since $since -First 1", ("since", T0.AddMinutes(30).UtcDateTime)).EnsureSuccess();
            Assert.Equal("Message 60", S(first.Single(), "Subject"));
            Assert.Empty(Mail("-Address $a -Since $since", ("since", T0.AddMinutes(61).UtcDateTime)).EnsureSuccess().Output);
        }

        [Fact]
        public void Finds_the_codes_of_realistic_AWS_mail()
        {
            int minute = 0;
            foreach (var sample in AwsMailSamples.All) Add(_a, ++minute, sample);
            var messages = Mail("-Address $a").EnsureSuccess().Output;
            Assert.Equal(AwsMailSamples.All.Length, messages.Count);
            foreach (var (message, sample) in messages.Zip(AwsMailSamples.All.Reverse()))
            {
                Assert.Equal(sample.Subject, S(message, "Subject"));
                Assert.Equal(sample.Code ?? "", S(message, "Code"));
                Assert.Equal(sample.From, S(message, "From"));
            }
            var otp = Mail("-AccountId '012345678901' -First 1 -Since $since", ("since", T0.AddMinutes(2).UtcDateTime)).EnsureSuccess();
            Assert.Equal("", S(otp.Single(), "Code")); // the newest is the closing notice: no code
            Assert.Contains("https://signin.aws.amazon.com/resetpassword?type=RootUser", string.Join("\n", messages.Select(m => S(m, "Body"))));
        }

        [Fact]
        public void Mail_forwarded_to_the_main_mailbox_is_found_there()
        {
            Add(_a, 5, AwsMailSamples.PrimaryEmailUpdate, mailbox: Main);
            Add(_b, 6, mailbox: Main);
            var result = Mail("-Address $a -Verbose").EnsureSuccess();
            var message = result.Single();
            Assert.Equal(Main, S(message, "Mailbox"));
            Assert.Equal("K7Q2XM", S(message, "Code"));
            Assert.Contains(result.Verbose, v => v.Message.Contains("looking in " + Main));
            Assert.Equal(new[] { Mailbox, Main }, _graph.Requests.Select(r => r.Mailbox));

            // Found in the pool mailbox: the main mailbox is not asked.
            Add(_a, 7);
            _graph.ClearRequests();
            Assert.Equal(Mailbox, S(Mail("-Address $a").EnsureSuccess().Single(), "Mailbox"));
            Assert.Single(_graph.Requests);

            // The application may be scoped to the pool mailboxes only: then a warning, not an error.
            _graph.Deny(Main);
            var scoped = Mail("-Address $b").EnsureSuccess();
            Assert.Empty(scoped.Output);
            Assert.Contains(scoped.Warning, w => w.Message.Contains(Main) && w.Message.Contains("RootMail.MailAccessDenied"));
        }

        [Fact]
        public void Wait_returns_a_message_that_arrives_while_waiting()
        {
            Add(_a, 1, AwsMailSamples.SignUpVerification);                  // old: not what -Wait waits for
            var waiting = Task.Run(() => Mail("-Address $a -Wait -Timeout 30 -Verbose"));
            AwaitRequests(2);                                                // it has looked (pool mailbox and main mailbox) and found nothing
            Thread.Sleep(300);
            Assert.False(waiting.IsCompleted);
            _graph.Add(Mailbox, new FakeMessage
            {
                ReceivedAt = DateTimeOffset.UtcNow, To = new[] { _a }, Subject = AwsMailSamples.PrimaryEmailUpdate.Subject,
                Body = AwsMailSamples.PrimaryEmailUpdate.Body, FromAddress = AwsMailSamples.PrimaryEmailUpdate.From,
            });
            var clock = Stopwatch.StartNew();
            Assert.True(waiting.Wait(TimeSpan.FromSeconds(10)), "Get-AwsRootMail -Wait did not return after the message arrived");
            var result = waiting.Result.EnsureSuccess();
            Assert.Equal("K7Q2XM", S(result.Single(), "Code"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed} after the message arrived");
            Assert.True(_graph.Requests.Count >= 3, "it polled: " + string.Join(", ", _graph.Requests.Select(r => r.Mailbox + " " + r.Status)) + "\n" + result.Describe());
            Assert.Contains(result.Progress, p => p.Activity.Contains(_a) && p.StatusDescription.StartsWith("No message yet"));
            Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
            Assert.All(_graph.Requests, r => Assert.StartsWith("receivedDateTime ge ", r.Query["$filter"]));
        }

        [Fact]
        public void Wait_with_Since_returns_at_once_when_the_message_is_already_there()
        {
            Add(_a, 10, AwsMailSamples.RootSignIn);
            var result = Mail("-Address $a -Wait -Since $since", ("since", T0.AddMinutes(5).UtcDateTime)).EnsureSuccess();
            Assert.Equal("482913", S(result.Single(), "Code"));
            Assert.Single(_graph.Requests);
        }

        [Fact]
        public void Wait_times_out_with_a_clear_error()
        {
            Add(_a, 1);
            var clock = Stopwatch.StartNew();
            var result = Mail("-Address $a -Wait -Timeout 1");
            Assert.Equal("RootMail.MailWaitTimeout", ErrorId(result));
            Assert.Equal(ErrorCategory.OperationTimeout, result.Errors[0].CategoryInfo.Category);
            Assert.Contains("1 seconds", result.Errors[0].Exception.Message);
            Assert.Empty(result.Output);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
            Assert.True(_graph.Requests.Count >= 2);
        }

        [Fact]
        public void Ctrl_C_stops_the_wait()
        {
            // PowerShell.Stop() on the pipeline, as Ctrl+C does in pwsh.
            using var ps = PowerShell.Create();
            ps.Runspace = Ps.Runspace;
            ps.AddCommand("Get-AwsRootMail").AddParameter("Address", _a).AddParameter("Wait").AddParameter("Timeout", 120);
            var output = new PSDataCollection<PSObject>();
            var pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
            AwaitRequests(2);
            Thread.Sleep(200);
            var clock = Stopwatch.StartNew();
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed}");
            Assert.Empty(output);
            Assert.DoesNotContain(ps.Streams.Error, e => e.FullyQualifiedErrorId.StartsWith("RootMail.MailWaitTimeout"));
            Mail("-Address $a").EnsureSuccess(); // the runspace is usable afterwards
        }

        [Fact]
        public void Throttling_is_retried_by_the_SDK()
        {
            Add(_a, 1);
            _graph.FailNext(429, times: 2, retryAfter: "1", code: "TooManyRequests", message: "Application is over its MailboxConcurrency limit.");
            var clock = Stopwatch.StartNew();
            var result = Mail("-Address $a").EnsureSuccess();
            Assert.Equal("Message 1", S(result.Single(), "Subject"));
            Assert.Equal(new[] { 429, 429, 200 }, _graph.Requests.Select(r => r.Status));
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), "Retry-After was honoured");
        }

        [Fact]
        public void Throttling_that_does_not_end_is_a_RootMail_error()
        {
            _graph.FailNext(429, times: 10, retryAfter: "0", code: "TooManyRequests", message: "Too many requests.");
            var result = Mail("-Address $a");
            Assert.Equal("RootMail.GraphThrottled", ErrorId(result));
            Assert.Equal(ErrorCategory.ResourceUnavailable, result.Errors[0].CategoryInfo.Category);
            Assert.Equal(4, _graph.Requests.Count); // the first try and the SDK's 3 retries
        }

        [Fact]
        public void Wait_rides_out_throttling()
        {
            Add(_a, 10, AwsMailSamples.RootSignIn);
            _graph.FailNext(429, times: 4, retryAfter: "0", code: "TooManyRequests", message: "Too many requests."); // the first check fails even after the SDK's retries
            var result = Mail("-Address $a -Wait -Timeout 20 -Since $since", ("since", T0.AddMinutes(5).UtcDateTime)).EnsureSuccess();
            Assert.Equal("482913", S(result.Single(), "Code"));
            Assert.Contains(result.Warning, w => w.Message.Contains("RootMail.GraphThrottled") && w.Message.Contains("trying again"));
        }

        [Fact]
        public void Graph_errors_surface_as_RootMail_errors_without_the_token()
        {
            var all = new System.Text.StringBuilder();
            PsResult Check(PsResult r) { all.Append(r.AllText()).Append(Ps.HostText); return r; }

            _graph.Deny(Mailbox);
            var denied = Check(Mail("-Address $a -Verbose -Debug"));
            Assert.Equal("RootMail.MailAccessDenied", ErrorId(denied));
            Assert.Equal(ErrorCategory.PermissionDenied, denied.Errors[0].CategoryInfo.Category);
            Assert.Contains("Mail.Read", denied.Errors[0].Exception.Message);
            Assert.Contains("ErrorAccessDenied", denied.Errors[0].Exception.Message);

            _graph.FailNext(500, code: "UnknownError", message: "An internal server error occurred.");
            var failed = Check(Mail("-Address $b"));
            Assert.Equal("RootMail.GraphError", ErrorId(failed));
            Assert.Contains("HTTP 500", failed.Errors[0].Exception.Message);

            // A token Graph does not accept.
            Check(Run("Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -GraphEndpoint $graph -GraphAccessToken $token | Out-Null",
                ("graph", _graph.Endpoint), ("token", Secure("not-the-token-" + _token)))).EnsureSuccess();
            var refused = Check(Mail("-Address $b -Verbose -Debug"));
            Assert.Equal("RootMail.GraphAuthenticationFailed", ErrorId(refused));
            Assert.Equal(ErrorCategory.AuthenticationError, refused.Errors[0].CategoryInfo.Category);

            // A mailbox Graph does not know.
            Check(Run("Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -GraphEndpoint $graph -GraphAccessToken $token | Out-Null",
                ("graph", _graph.Endpoint), ("token", Secure(_token)))).EnsureSuccess();
            var other = S(Run("New-AwsRootMailbox").EnsureSuccess().Single(), "PrimarySmtpAddress");
            var onOther = S(Run("New-AwsRootAlias -RequestedBy carol@contoso.test -Mailbox $m", ("m", other)).EnsureSuccess().Single(), "Address");
            var missing = Check(Run("Get-AwsRootMail -Address $x", ("x", onOther)));
            Assert.Equal("RootMail.GraphMailboxNotFound", ErrorId(missing));

            // Nothing listens: unreachable.
            Check(Run("Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -GraphEndpoint $graph -GraphAccessToken $token | Out-Null",
                ("graph", "http://127.0.0.1:9"), ("token", Secure(_token)))).EnsureSuccess();
            Assert.Equal("RootMail.GraphUnavailable", ErrorId(Check(Mail("-Address $b"))));

            Check(Run("$Error | ForEach-Object { $_ | Out-Default }"));
            var text = all.ToString();
            Assert.Contains("RootMail.MailAccessDenied", text); // the check read real output
            Assert.DoesNotContain(_token, text);
            Assert.DoesNotContain(_token.Substring(_token.Length - 16), text);
            Assert.DoesNotContain("Bearer", text);
        }

        [Fact]
        public void No_token_in_any_stream_of_a_successful_read()
        {
            Add(_a, 1, AwsMailSamples.SignUpVerification);
            var result = Run("$DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -GraphEndpoint $graph -GraphAccessToken $token; Get-AwsRootMail -Address $a",
                ("graph", _graph.Endpoint), ("token", Secure(_token)), ("a", _a)).EnsureSuccess();
            var text = result.AllText() + Ps.HostText;
            Assert.Contains("739024", text);
            Assert.Contains("AccessToken", text); // GraphAuthentication says how, not what
            Assert.DoesNotContain(_token, text);
            Assert.DoesNotContain(_token.Substring(_token.Length - 16), text);
        }

        [Fact]
        public void Bad_input_is_refused_before_anything_is_read()
        {
            Assert.Equal("RootMail.InvalidFirst", ErrorId(Mail("-Address $a -First 0")));
            Assert.Equal("RootMail.InvalidArgumentCombination", ErrorId(Mail("-Address $a -Timeout 5")));
            Assert.Equal("RootMail.InvalidTimeout", ErrorId(Mail("-Address $a -Wait -Timeout 0")));
            Assert.Equal("RootMail.InvalidTimeout", ErrorId(Mail("-Address $a -Wait -Timeout 100000")));
            Assert.Equal("RootMail.InvalidAliasAddress", ErrorId(Mail("-Address 'not an address'")));
            Assert.Equal("RootMail.InvalidAliasAddress", ErrorId(Mail("-Address ''")));
            Assert.Equal("RootMail.InvalidAccountId", ErrorId(Mail("-AccountId 12345678901")));
            Assert.Equal("RootMail.InvalidPoolName", ErrorId(Mail("-Address $a -Pool 'no pool'")));
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Mail("-Address aws-nobody@contoso.test")));
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Mail("-AccountId '999999999999'")));
            Assert.Empty(_graph.Requests);
        }

        [Fact]
        public void Without_a_Graph_credential_says_how_to_connect()
        {
            Connect(Ps, exchange: false); // a connection string only
            var result = Mail("-Address $a");
            Assert.Equal("RootMail.GraphNotConnected", ErrorId(result));
            Assert.Contains("-GraphAccessToken", result.Errors[0].Exception.Message);
            Assert.Empty(_graph.Requests);

            using var fresh = PsHarness.Create(importSimulator: false);
            Assert.Equal("RootMail.RegistryNotConnected", ErrorId(fresh.Run("Get-AwsRootMail -Address $a", Vars(("a", _a)))));
        }

        [Fact]
        public void Connect_takes_the_sign_in_switches_and_checks_them()
        {
            string Id(string script, params (string, object?)[] vars) => ErrorId(Run(script, vars));
            const string cs = "Connect-AwsRootRegistry -ConnectionString $cs -TableName $table ";
            var tenant = "11111111-2222-3333-4444-555555555555";
            var client = "66666666-7777-8888-9999-000000000000";

            Assert.Equal("RootMail.InvalidArgumentCombination", Id(cs + "-ClientId $c", ("c", client)));
            Assert.Equal("RootMail.InvalidArgumentCombination", Id(cs + "-ManagedIdentity -Interactive"));
            Assert.Equal("RootMail.InvalidArgumentCombination", Id(cs + "-ManagedIdentity -TenantId $t", ("t", tenant)));
            Assert.Equal("RootMail.InvalidArgumentCombination", Id(cs + "-CertificateThumbprint $x", ("x", new string('A', 40))));
            Assert.Equal("RootMail.InvalidArgumentCombination", Id(cs + "-TenantId $t", ("t", tenant)));
            Assert.Equal("RootMail.InvalidClientId", Id(cs + "-ManagedIdentity -ClientId 'my-app'"));
            Assert.Equal("RootMail.InvalidTenantId", Id(cs + "-DeviceCode -TenantId 'not a tenant'"));
            Assert.Equal("RootMail.InvalidCertificateThumbprint", Id(cs + "-CertificateThumbprint 'zz' -TenantId $t -ClientId $c", ("t", tenant), ("c", client)));
            Assert.Equal("RootMail.CertificateNotFound", Id(cs + "-CertificateThumbprint $x -TenantId $t -ClientId $c", ("x", "0123456789ABCDEF0123456789ABCDEF01234567"), ("t", tenant), ("c", client)));
            Assert.Equal("RootMail.CertificateUnreadable", Id(cs + "-CertificatePath ./no-such.pfx -TenantId $t -ClientId $c", ("t", tenant), ("c", client)));
            Assert.Equal("RootMail.CertificateUnreadable", Id(cs + "-CertificatePath '' -TenantId $t -ClientId $c", ("t", tenant), ("c", client)));

            // A PFX with a password: read at connect; the credential then serves Graph (the registry keeps its connection string).
            var pfx = Path.Combine(Path.GetTempPath(), "rootmail-test-" + Guid.NewGuid().ToString("N") + ".pfx");
            try
            {
                using (var rsa = System.Security.Cryptography.RSA.Create(2048))
                {
                    var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=RootMail test", rsa,
                        System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                    using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                    File.WriteAllBytes(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
                }
                Assert.Equal("RootMail.CertificateUnreadable", Id(cs + "-CertificatePath $p -TenantId $t -ClientId $c", ("p", pfx), ("t", tenant), ("c", client)));
                Assert.Equal("RootMail.CertificateUnreadable", Id(cs + "-CertificatePath $p -CertificatePassword $pw -TenantId $t -ClientId $c",
                    ("p", pfx), ("pw", Secure("wrong")), ("t", tenant), ("c", client)));
                var info = Run(cs + "-CertificatePath $p -CertificatePassword $pw -TenantId $t -ClientId $c", ("p", pfx), ("pw", Secure("pfx-password")), ("t", tenant), ("c", client)).EnsureSuccess().Single();
                Assert.Equal("ClientCertificate", S(info, "GraphAuthentication"));
                Assert.Equal("SharedKey", S(info, "Authentication"));
            }
            finally
            {
                File.Delete(pfx);
            }

            Assert.Equal("ManagedIdentity (user-assigned)", S(Run(cs + "-ManagedIdentity -ClientId $c", ("c", client)).EnsureSuccess().Single(), "GraphAuthentication"));
            Assert.Equal("DeviceCode", S(Run(cs + "-DeviceCode -TenantId contoso.onmicrosoft.com").EnsureSuccess().Single(), "GraphAuthentication"));
            Assert.Equal("None", S(Run(cs).EnsureSuccess().Single(), "GraphAuthentication"));
            Assert.Equal("RootMail.InvalidGraphEndpoint", Id(cs + "-GraphEndpoint http://graph.example.com"));
        }

        [Fact]
        public void Workload_identity_reads_the_federated_token_file()
        {
            const string cs = "Connect-AwsRootRegistry -ConnectionString $cs -TableName $table ";
            var saved = new[] { "AZURE_FEDERATED_TOKEN_FILE", "AZURE_TENANT_ID", "AZURE_CLIENT_ID" }.ToDictionary(n => n, Environment.GetEnvironmentVariable);
            var file = Path.GetTempFileName();
            try
            {
                foreach (var name in saved.Keys) Environment.SetEnvironmentVariable(name, null);
                var missing = Run(cs + "-WorkloadIdentity");
                Assert.Equal("RootMail.WorkloadIdentityUnavailable", ErrorId(missing));
                Assert.Contains("AZURE_FEDERATED_TOKEN_FILE", missing.Errors[0].Exception.Message);

                Environment.SetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE", file);
                Environment.SetEnvironmentVariable("AZURE_TENANT_ID", "11111111-2222-3333-4444-555555555555");
                Environment.SetEnvironmentVariable("AZURE_CLIENT_ID", "66666666-7777-8888-9999-000000000000");
                Assert.Equal("WorkloadIdentity", S(Run(cs + "-WorkloadIdentity").EnsureSuccess().Single(), "GraphAuthentication"));
            }
            finally
            {
                foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
                File.Delete(file);
            }
        }
    
        [Fact]
        public void Import_loads_no_Graph_assembly_only_the_first_read_does()
        {
            Add(_a, 1, AwsMailSamples.SignUpVerification);
            static bool IsGraph(string name) => name.StartsWith("Microsoft.Graph", StringComparison.Ordinal) || name.StartsWith("Microsoft.Kiota", StringComparison.Ordinal)
                                                || name == "RootMail.Graph" || name == "Std.UriTemplate";

            var steps = Probe();
            var import = steps["import"];
            Assert.Contains("RootMail", import.Loaded);
            // The engine and its dependencies load at first use, into RootMail's own load context.
            Assert.DoesNotContain("RootMail.Core", import.Loaded);
            Assert.DoesNotContain(import.Loaded, a => a.StartsWith("Azure.", StringComparison.Ordinal));
            Assert.Contains("RootMail.Core", steps["connect"].Loaded);
            Assert.DoesNotContain(import.Loaded, IsGraph);
            Assert.DoesNotContain(steps["connect"].Loaded, IsGraph);
            var first = steps["first-mail"];
            Assert.Equal(1, first.Objects);
            Assert.Contains("RootMail.Graph", first.Loaded);
            Assert.Contains("Microsoft.Graph", first.Loaded);
            Assert.Contains("Microsoft.Kiota.Abstractions", first.Loaded);
            Assert.DoesNotContain(steps["second-mail"].Loaded, IsGraph);
            foreach (var step in steps.Values)
            {
                Assert.Null(step.Error);
                _output.WriteLine($"{step.Step,-12} {step.Ms,8:0.0} ms  loads {step.Loaded.Count,3}: {string.Join(", ", step.Loaded)}");
            }
        }

        [Theory]
        [InlineData("--preload")]
        [InlineData("--preload-after")]
        public void Other_versions_of_Azure_Core_and_MSAL_in_the_session_do_not_disturb_RootMail(string order)
        {
            Add(_a, 1, AwsMailSamples.SignUpVerification);
            var steps = Probe(order);
            foreach (var step in steps.Values) Assert.Null(step.Error);
            Assert.Equal(1, steps["first-mail"].Objects);
            var copies = steps["copies"].Loaded;
            foreach (var copy in copies) _output.WriteLine(copy);
            // The session's copies stay in the default context; RootMail's engine and its own Azure.Core and MSAL live in RootMail's context.
            Assert.Contains(copies, c => c.StartsWith("Azure.Core 1.44.1", StringComparison.Ordinal) && c.Contains("Default"));
            Assert.Contains(copies, c => c.StartsWith("Microsoft.Identity.Client 4.61.3", StringComparison.Ordinal) && c.Contains("Default"));
            Assert.Contains(copies, c => c.StartsWith("Azure.Core ", StringComparison.Ordinal) && !c.StartsWith("Azure.Core 1.44.1", StringComparison.Ordinal) && c.Contains("RootMailLoadContext"));
            Assert.Contains(copies, c => c.StartsWith("RootMail.Core ", StringComparison.Ordinal) && c.Contains("RootMailLoadContext"));
        }

        sealed record ProbeStep(string Step, double Ms, int? Objects, string? Error, List<string> Loaded);

        /// <summary>Runs tests/RootMail.ImportProbe in a fresh process: the engine, Import-Module, Connect, Get-AwsRootMail twice.</summary>
        Dictionary<string, ProbeStep> Probe(params string[] probeOptions)
        {
            var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);          // tests/RootMail.Tests/bin/<configuration>/net10.0
            var configuration = Path.GetFileName(Path.GetDirectoryName(here))!;
            var probe = Path.Combine(RepoLayout.Root, "tests", "RootMail.ImportProbe", "bin", configuration, Path.GetFileName(here), "RootMail.ImportProbe.dll");
            Assert.True(File.Exists(probe), probe + " is missing: build the solution");
            var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "") == "dotnet" ? Environment.ProcessPath! : "dotnet";
            var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { probe, RepoLayout.RootMailManifest, "--mail" }.Concat(probeOptions)) start.ArgumentList.Add(arg);
            start.Environment["ROOTMAIL_PROBE_CONNECTION_STRING"] = Azurite.ConnectionString;
            start.Environment["ROOTMAIL_PROBE_TABLE"] = Table;
            start.Environment["ROOTMAIL_PROBE_GRAPH_ENDPOINT"] = _graph.Endpoint;
            start.Environment["ROOTMAIL_PROBE_GRAPH_TOKEN"] = _token;
            start.Environment["ROOTMAIL_PROBE_ADDRESS"] = _a;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "the probe did not finish");
            Assert.True(process.ExitCode == 0, $"the probe failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
            var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<ProbeStep>(line, options)!)
                .ToDictionary(step => step.Step);
        }
    }
}
