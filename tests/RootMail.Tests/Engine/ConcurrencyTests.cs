using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>Several runspaces (runbooks) working on one registry at the same moment: the table keeps the invariants.</summary>
    [Collection(RegistryCollection.Name)]
    public class ConcurrencyTests : RegistryTestBase
    {
        public ConcurrencyTests(AzuriteFixture azurite) : base(azurite) { }

        [Fact]
        public void Eight_runspaces_hand_out_at_once_without_duplicates_or_over_capacity()
        {
            // 12 pre-provisioned aliases for 8 x 5 = 40 hand-outs: the rest must be added to two mailboxes of 20 each.
            Setup(mailboxes: 2, capacity: 20, available: 12);
            var harnesses = PsHarness.OpenMany(8);
            try
            {
                foreach (var h in harnesses) Connect(h);
                var results = PsHarness.RunConcurrently(harnesses,
                    i => $"1..5 | ForEach-Object {{ New-AwsRootAlias -RequestedBy 'runbook{i}@contoso.test' -AccountName 'Runbook {i} account' }}", Vars());
                foreach (var r in results) r.EnsureSuccess();
                var handed = results.SelectMany(r => r.Output).Select(a => S(a, "Address")).ToList();
                Assert.Equal(40, handed.Count);
                Assert.Equal(40, handed.Distinct().Count());

                var aliases = Aliases();
                Assert.Equal(40, aliases.Count);
                Assert.All(aliases.Values, a => Assert.Equal("Assigned", S(a, "Status")));
                foreach (var group in aliases.Values.GroupBy(a => S(a, "Mailbox"))) Assert.True(group.Count() <= 20, group.Key + " is over capacity");
                AssertRegistryMatchesExchange();

                // One more does not fit anywhere.
                Assert.Equal("RootMail.PoolExhausted", ErrorId(Run("New-AwsRootAlias -RequestedBy late@contoso.test")));
            }
            finally
            {
                foreach (var h in harnesses) h.Dispose();
            }
        }

        [Fact]
        public void Eight_runspaces_registering_one_account_bind_it_once()
        {
            Setup(available: 8);
            var addresses = Enumerable.Range(0, 8).Select(i => S(Run($"New-AwsRootAlias -RequestedBy r{i}@contoso.test").EnsureSuccess().Single(), "Address")).ToList();
            var harnesses = PsHarness.OpenMany(8);
            try
            {
                foreach (var h in harnesses) Connect(h);
                var results = PsHarness.RunConcurrently(harnesses, i => $"Register-AwsAccountAlias -Address '{addresses[i]}' -AccountId '000000000007'", Vars());
                Assert.Single(results, r => r.Succeeded);
                Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("RootMail.AccountAlreadyRegistered", ErrorId(r)));
                Assert.Single(Aliases().Values, a => S(a, "Status") == "Registered");
                Assert.Equal("000000000007", S(Run("Get-AwsRootAlias -AccountId '000000000007'").EnsureSuccess().Single(), "AccountId"));
            }
            finally
            {
                foreach (var h in harnesses) h.Dispose();
            }
        }

        [Fact]
        public void Concurrent_provisioning_never_overfills_a_mailbox()
        {
            Setup(mailboxes: 1, capacity: 60);
            var harnesses = PsHarness.OpenMany(4);
            try
            {
                foreach (var h in harnesses) Connect(h);
                // 4 x 20 = 80 asked for, 60 fit: some calls end in PoolExhausted, none overfills.
                var results = PsHarness.RunConcurrently(harnesses, _ => "New-AwsRootAlias -Count 20", Vars());
                Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("RootMail.PoolExhausted", ErrorId(r)));
                var made = results.Sum(r => r.Output.Count);
                Assert.InRange(made, 40, 60);
                Assert.Equal(made, Aliases().Count);
                AssertRegistryMatchesExchange();
            }
            finally
            {
                foreach (var h in harnesses) h.Dispose();
            }
        }
    }
}
