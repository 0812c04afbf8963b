using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>
    /// A user's session: a runspace with RootMail and the Exchange simulator imported, connected to its own
    /// Exchange tenant (accepting contoso.test) and its own registry table in the run's Azurite.
    /// </summary>
    public abstract class RegistryTestBase : IDisposable
    {
        protected const string Domain = "contoso.test";
        static readonly Regex Summary = new Regex(@"RootMail: (\d+) registry requests \((\d+) queries\), (\d+) Exchange commands");

        protected RegistryTestBase(AzuriteFixture azurite)
        {
            Azurite = azurite;
            Table = TestNames.Table(GetType().Name);
            Tenant = TestNames.Table(GetType().Name) + ".onmicrosoft.com";
            Ps = PsHarness.Create();
            Connect(Ps);
        }

        protected AzuriteFixture Azurite { get; }
        protected string Table { get; }
        protected string Tenant { get; }
        protected PsHarness Ps { get; }

        /// <summary>Connects a runspace to this test's tenant and registry (the connection string goes in as a variable, never as script text).</summary>
        protected void Connect(PsHarness ps, bool exchange = true)
        {
            ps.Run(exchange
                ? "Connect-ExchangeOnline -Organization $tenant -AcceptedDomain $domain; Connect-AwsRootRegistry -ConnectionString $cs -TableName $table | Out-Null"
                : "Connect-AwsRootRegistry -ConnectionString $cs -TableName $table | Out-Null",
                Vars()).EnsureSuccess();
        }

        protected Hashtable Vars(params (string Name, object? Value)[] more)
        {
            var vars = new Hashtable { ["cs"] = Azurite.ConnectionString, ["table"] = Table, ["tenant"] = Tenant, ["domain"] = Domain };
            foreach (var (name, value) in more) vars[name] = value;
            return vars;
        }

        protected PsResult Run(string script, params (string Name, object? Value)[] vars) => Ps.Run(script, Vars(vars));

        /// <summary>A pool on contoso.test with the given mailboxes (capacity each) and Available aliases.</summary>
        protected void Setup(int mailboxes = 1, int capacity = 300, int available = 0)
        {
            Run("Set-AwsRootPool -Domain $domain -ForwardingAddress aws-admins@contoso.test").EnsureSuccess();
            for (int i = 0; i < mailboxes; i++) Run("New-AwsRootMailbox -Capacity $c | Out-Null", ("c", capacity)).EnsureSuccess();
            if (available > 0) Run("New-AwsRootAlias -Count $n | Out-Null", ("n", available)).EnsureSuccess();
        }

        /// <summary>The RootMail error id of the one error a command wrote (the FullyQualifiedErrorId before the comma).</summary>
        protected static string ErrorId(PsResult result)
        {
            Assert.True(result.Errors.Count == 1, "expected exactly one error:\n" + result.Describe());
            return result.Errors[0].FullyQualifiedErrorId.Split(',')[0];
        }

        protected static string S(PSObject item, string property) => PsResult.Property(item, property)?.ToString() ?? "";

        /// <summary>Every alias of the pool, by address.</summary>
        protected Dictionary<string, PSObject> Aliases(PsHarness? ps = null)
            => (ps ?? Ps).Run("Get-AwsRootAlias", Vars()).EnsureSuccess().Output.ToDictionary(a => S(a, "Address"));

        /// <summary>Exchange's view: secondary SMTP addresses per mailbox.</summary>
        protected Dictionary<string, HashSet<string>> ExchangeAddresses()
        {
            var result = new Dictionary<string, HashSet<string>>();
            foreach (var mailbox in Run("Get-Mailbox").EnsureSuccess().Output)
            {
                var proxies = ((IEnumerable)PsResult.Property(mailbox, "EmailAddresses")!).Cast<object>().Select(o => o.ToString()!)
                    .Where(p => p.StartsWith("smtp:", StringComparison.Ordinal) && p.EndsWith("@" + Domain)).Select(p => p.Substring(5));
                result[S(mailbox, "PrimarySmtpAddress").ToLowerInvariant()] = new HashSet<string>(proxies);
            }
            return result;
        }

        protected PSObject ExchangeStatistics() => Run("Get-ExoSimulatorStatistic").EnsureSuccess().Single();
        protected int ExchangeCalls() => (int)PsResult.Property(ExchangeStatistics(), "Total")!;

        /// <summary>Registry requests and Exchange commands a cmdlet reported in its closing verbose line.</summary>
        protected static (int Registry, int Exchange) RoundTrips(PsResult result)
        {
            var m = result.Verbose.Select(v => Summary.Match(v.Message)).LastOrDefault(x => x.Success);
            Assert.True(m != null, "no summary line in verbose output:\n" + result.Describe());
            return (int.Parse(m!.Groups[1].Value), int.Parse(m.Groups[3].Value));
        }

        /// <summary>How many of a cmdlet's registry requests were queries (the kind a table service may answer by scanning).</summary>
        protected static int Queries(PsResult result)
            => int.Parse(result.Verbose.Select(v => Summary.Match(v.Message)).Last(x => x.Success).Groups[2].Value);

        /// <summary>The registry and Exchange agree: every non-removed alias is on its mailbox, nothing else is, and the counters match.</summary>
        protected void AssertRegistryMatchesExchange()
        {
            var aliases = Aliases();
            var exchange = ExchangeAddresses();
            var mailboxes = Run("Get-AwsRootMailbox").EnsureSuccess().Output;
            foreach (var mailbox in mailboxes)
            {
                var address = S(mailbox, "PrimarySmtpAddress");
                var expected = aliases.Values.Where(a => S(a, "Mailbox") == address && S(a, "AddressRemoved") != "True").Select(a => S(a, "Address")).ToHashSet();
                var actual = exchange[address];
                actual.Remove(address);
                Assert.Equal(expected.OrderBy(x => x), actual.OrderBy(x => x));
                Assert.Equal(expected.Count, (int)PsResult.Property(mailbox, "Used")!);
                Assert.True((int)PsResult.Property(mailbox, "Used")! <= (int)PsResult.Property(mailbox, "Capacity")!, $"{address} is over capacity");
            }
        }

        public virtual void Dispose() => Ps.Dispose();
    }
}
