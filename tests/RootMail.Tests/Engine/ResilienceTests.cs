using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace RootMail.Tests.Engine
{
    /// <summary>Exchange failures, throttling and a storage outage at every step: nothing is lost, nothing handed out twice, Sync repairs the rest.</summary>
    [Collection(RegistryCollection.Name)]
    public class ResilienceTests : RegistryTestBase
    {
        readonly ITestOutputHelper _output;

        public ResilienceTests(AzuriteFixture azurite, ITestOutputHelper output) : base(azurite) => _output = output;

        List<(string Kind, string Address, string Outcome)> Sync(string arguments = "-ReservationAge 0")
            => Run("Sync-AwsRootRegistry " + arguments).EnsureSuccess().Output.Select(i => (S(i, "Kind"), S(i, "Address"), S(i, "Outcome"))).ToList();

        [Fact]
        public void Transient_exchange_failures_are_retried()
        {
            Setup(mailboxes: 1);
            Run("Set-ExoSimulatorFault -FailOnCall 1, 2 -Command Set-Mailbox; Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            var alias = Run("New-AwsRootAlias -RequestedBy a@contoso.test -Verbose").EnsureSuccess();
            Assert.Equal("Assigned", S(alias.Single(), "Status"));
            Assert.Contains(alias.Verbose, v => v.Message.Contains("attempt 2 of 5"));
            var stats = ExchangeStatistics();
            Assert.Equal(3, (int)PsResult.Property(stats, "SetMailbox")!);
            Assert.Equal(2, (int)PsResult.Property(stats, "Failed")!);
            Assert.Empty(Sync());
        }

        [Fact]
        public void A_call_that_applied_but_reported_failure_leaves_a_reservation_that_sync_completes()
        {
            Setup(mailboxes: 1);
            Run("Set-ExoSimulatorFault -FailAfterApplyRate 1 -Command Set-Mailbox").EnsureSuccess();
            var failed = Run("New-AwsRootAlias -RequestedBy a@contoso.test");
            Assert.Equal("RootMail.ExchangeUnavailable", ErrorId(failed));
            Assert.Contains("Sync-AwsRootRegistry -Repair", failed.Errors[0].Exception.Message);
            Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();

            var reserved = Aliases().Values.Single();
            Assert.Equal("Reserved", S(reserved, "Status"));
            var address = S(reserved, "Address");
            Assert.Contains(address, ExchangeAddresses().Values.Single());
            // A reserved alias is never handed out, even though its address is on the mailbox.
            Assert.NotEqual(address, S(Run("New-AwsRootAlias -RequestedBy b@contoso.test").EnsureSuccess().Single(), "Address"));

            Assert.Empty(Sync("")); // younger than the default 15 minutes: maybe still in progress
            Assert.Equal(new[] { ("UnfinishedReservation", address, "Found") }, Sync());
            var planned = Ps.Render("Sync-AwsRootRegistry -Repair -ReservationAge 0 -WhatIf", Vars());
            Assert.Contains("Complete it", planned.HostText);
            Assert.Equal("Reserved", S(Run("Get-AwsRootAlias -Address $a", ("a", address)).Single(), "Status"));

            Assert.Equal(new[] { ("UnfinishedReservation", address, "Repaired") }, Sync("-Repair -ReservationAge 0"));
            Assert.Equal("Available", S(Run("Get-AwsRootAlias -Address $a", ("a", address)).Single(), "Status"));
            Assert.Empty(Sync());
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void A_call_that_never_reached_exchange_leaves_a_reservation_that_sync_withdraws()
        {
            Setup(mailboxes: 1);
            Run("Set-ExoSimulatorFault -FailureRate 1 -Command Set-Mailbox").EnsureSuccess();
            Assert.Equal("RootMail.ExchangeUnavailable", ErrorId(Run("New-AwsRootAlias -Count 5")));
            Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();
            Assert.Equal(5, Aliases().Values.Count(a => S(a, "Status") == "Reserved"));
            Assert.Equal("5", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));

            var repaired = Sync("-Repair -ReservationAge 0");
            Assert.Equal(5, repaired.Count(r => r.Kind == "UnfinishedReservation" && r.Outcome == "Repaired"));
            Assert.Empty(Aliases());
            Assert.Equal("0", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));
            // Run again: it finishes the job.
            Assert.Equal(5, Run("New-AwsRootAlias -Count 5").EnsureSuccess().Output.Count);
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Drift_made_outside_RootMail_is_found_and_repaired()
        {
            Setup(mailboxes: 1, available: 3);
            var assigned = S(Run("New-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Single(), "Address");
            // Someone adds an address by hand and removes a handed-out one by mistake.
            Run("Set-Mailbox -Identity awsroot-001 -EmailAddresses @{ Add = 'smtp:aws-byhand1@contoso.test'; Remove = \"smtp:$a\" }", ("a", assigned)).EnsureSuccess();

            var found = Sync();
            Assert.Contains(("MissingInRegistry", "aws-byhand1@contoso.test", "Found"), found);
            Assert.Contains(("MissingInExchange", assigned, "Found"), found);
            Assert.Equal(2, found.Count);

            var repaired = Sync("-Repair");
            Assert.All(repaired, r => Assert.Equal("Repaired", r.Outcome));
            Assert.Equal("Available", S(Run("Get-AwsRootAlias -Address aws-byhand1@contoso.test").EnsureSuccess().Single(), "Status"));
            Assert.Contains(assigned, ExchangeAddresses().Values.Single());
            Assert.Empty(Sync());
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Sync_rewrites_account_and_requester_copies_that_disagree_with_their_alias_and_removes_strays()
        {
            Setup(mailboxes: 1, available: 4);
            var a = S(Run("New-AwsRootAlias -RequestedBy dora@contoso.test | Register-AwsAccountAlias -AccountId '000000000201'").EnsureSuccess().Single(), "Address");
            var b = S(Run("New-AwsRootAlias -RequestedBy dora@contoso.test").EnsureSuccess().Single(), "Address");
            Assert.Empty(Sync());

            // Damage the copies behind RootMail's back, as a hand edit or a bug would.
            var table = new Azure.Data.Tables.TableClient(Azurite.ConnectionString, Table);
            table.DeleteEntity("rootmail", "acct|000000000201");
            table.UpdateEntity(new Azure.Data.Tables.TableEntity("rootmail", $"req|dora@contoso.test|{b}") { ["Status"] = "Retired" }, Azure.ETag.All);
            var stray = table.GetEntity<Azure.Data.Tables.TableEntity>("rootmail", $"req|dora@contoso.test|{a}").Value;
            stray.RowKey = $"req|eve@contoso.test|{a}";
            table.AddEntity(stray);
            Assert.Equal("Retired", S(Run("Get-AwsRootAlias -RequestedBy dora@contoso.test").EnsureSuccess().Output.Single(o => S(o, "Address") == b), "Status"));
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Run("Get-AwsRootAlias -AccountId '000000000201'")));

            var found = Sync();
            Assert.Equal(3, found.Count);
            Assert.All(found, f => Assert.Equal("IndexMismatch", f.Kind));
            Assert.Equal(new[] { a, a, b }.OrderBy(x => x), found.Select(f => f.Address).OrderBy(x => x));
            Assert.All(Sync("-Repair"), r => Assert.Equal("Repaired", r.Outcome));
            Assert.Empty(Sync());
            Assert.Equal(a, S(Run("Get-AwsRootAlias -AccountId '000000000201'").EnsureSuccess().Single(), "Address"));
            Assert.Equal("Assigned", S(Run("Get-AwsRootAlias -RequestedBy dora@contoso.test").EnsureSuccess().Output.Single(o => S(o, "Address") == b), "Status"));
            Assert.Empty(Run("Get-AwsRootAlias -RequestedBy eve@contoso.test").EnsureSuccess().Output);
        }

        [Fact]
        public void Index_rows_written_before_they_held_copies_are_read_through_and_upgraded_by_sync()
        {
            Setup(mailboxes: 1, available: 2);
            var a = S(Run("New-AwsRootAlias -RequestedBy fay@contoso.test | Register-AwsAccountAlias -AccountId '000000000301'").EnsureSuccess().Single(), "Address");
            // The shape RootMail 0.1.0 development builds wrote: the binding and the requester entry hold only the keys' values.
            var table = new Azure.Data.Tables.TableClient(Azurite.ConnectionString, Table);
            table.UpsertEntity(new Azure.Data.Tables.TableEntity("rootmail", "acct|000000000301") { ["AccountId"] = "000000000301", ["Address"] = a }, Azure.Data.Tables.TableUpdateMode.Replace);
            table.UpsertEntity(new Azure.Data.Tables.TableEntity("rootmail", $"req|fay@contoso.test|{a}") { ["RequestedBy"] = "fay@contoso.test", ["Address"] = a }, Azure.Data.Tables.TableUpdateMode.Replace);

            Assert.Equal("Registered", S(Run("Get-AwsRootAlias -AccountId '000000000301'").EnsureSuccess().Single(), "Status"));
            Assert.Equal("Registered", S(Run("Get-AwsRootAlias -RequestedBy fay@contoso.test").EnsureSuccess().Single(), "Status"));
            Assert.Equal(2, Sync().Count(f => f.Kind == "IndexMismatch" && f.Address == a));
            Sync("-Repair");
            Assert.Empty(Sync());
            Assert.Equal("Registered", table.GetEntity<Azure.Data.Tables.TableEntity>("rootmail", $"req|fay@contoso.test|{a}").Value.GetString("Status"));
        }

        [Fact]
        public void A_pool_mailbox_gone_from_exchange_is_reported_and_left_alone()
        {
            Setup(mailboxes: 1);
            Run("Connect-ExchangeOnline -Organization ($tenant + '-other') -AcceptedDomain $domain").EnsureSuccess(); // a tenant without the mailbox
            var found = Run("Sync-AwsRootRegistry -Repair").EnsureSuccess().Single();
            Assert.Equal("MailboxMissingInExchange", S(found, "Kind"));
            Assert.Equal("NotRepaired", S(found, "Outcome"));
            Assert.Contains("RootMail will not guess", S(found, "Detail"));
        }

        [Fact]
        public void Random_faults_at_every_step_lose_nothing_and_sync_repairs_everything()
        {
            Setup(mailboxes: 2, capacity: 100);
            Run("Set-ExoSimulatorFault -FailureRate 0.35 -FailAfterApplyRate 0.3 -ThrottleRate 0.15 -Seed 7 -Command Set-Mailbox; Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            var handed = new List<string>();
            int errors = 0;
            for (int i = 0; i < 30; i++)
            {
                var r = Run("New-AwsRootAlias -RequestedBy $r", ("r", $"user{i}@contoso.test"));
                if (r.Succeeded) handed.Add(S(r.Single(), "Address")); else { errors++; Assert.Equal("RootMail.ExchangeUnavailable", ErrorId(r)); }
            }
            for (int i = 0; i < 4; i++)
            {
                var r = Run("New-AwsRootAlias -Count 15");
                if (!r.Succeeded) { errors++; Assert.Equal("RootMail.ExchangeUnavailable", ErrorId(r)); }
            }
            var injected = (int)PsResult.Property(ExchangeStatistics(), "Failed")!;
            Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();

            var before = Sync();
            var repaired = Sync("-Repair -ReservationAge 0");
            var after = Sync();
            _output.WriteLine($"injected Exchange failures: {injected}; commands that failed after retries: {errors}; " +
                              $"hand-outs that succeeded: {handed.Count}; inconsistencies before repair: {before.Count}; repaired: {repaired.Count(r => r.Outcome == "Repaired")}; after: {after.Count}");
            Assert.True(injected > 10, "the faults should have fired");
            Assert.All(repaired, r => Assert.Equal("Repaired", r.Outcome));
            Assert.Empty(after);
            Assert.Equal(handed.Count, handed.Distinct().Count());
            var aliases = Aliases();
            Assert.All(handed, a => Assert.Equal("Assigned", S(aliases[a], "Status")));
            Assert.DoesNotContain(aliases.Values, a => S(a, "Status") == "Reserved");
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Storage_outage_in_the_middle_of_a_hand_out_is_recoverable()
        {
            Setup(mailboxes: 1);
            Run("Set-ExoSimulatorFault -LatencyMilliseconds 2500 -Command Set-Mailbox").EnsureSuccess();
            var handOut = Task.Run(() => Run("New-AwsRootAlias -RequestedBy a@contoso.test"));
            Thread.Sleep(1000); // the reservation is written; Set-Mailbox is under way
            Azurite.Stop();
            PsResult result;
            try { result = handOut.Result; }
            finally { Azurite.Start(); }
            Assert.Equal("RootMail.RegistryUnavailable", ErrorId(result));
            Assert.DoesNotContain(Azurite.AccountKey, result.AllText());
            Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();

            var reserved = Aliases().Values.Single();
            Assert.Equal("Reserved", S(reserved, "Status"));
            Assert.Equal(new[] { ("UnfinishedReservation", S(reserved, "Address"), "Repaired") }, Sync("-Repair -ReservationAge 0"));
            Assert.Empty(Sync());
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Ctrl_C_during_provisioning_leaves_nothing_sync_cannot_finish()
        {
            Setup(mailboxes: 3, capacity: 100);
            Run("Set-ExoSimulatorFault -LatencyMilliseconds 1500 -Command Set-Mailbox").EnsureSuccess();
            var provisioning = Task.Run(() => Run("New-AwsRootAlias -Count 300"));
            // Wait (from a second session) until the first mailbox's aliases are Available: the second Set-Mailbox is then under way.
            using (var watcher = PsHarness.Create())
            {
                Connect(watcher);
                var deadline = System.DateTime.UtcNow.AddSeconds(30);
                while (watcher.Run("@(Get-AwsRootAlias -Status Available).Count", Vars()).Single().BaseObject is int n && n < 100 && System.DateTime.UtcNow < deadline)
                    Thread.Sleep(100);
            }
            Thread.Sleep(300);
            Ps.Stop();
            var stopped = provisioning.Result;
            Assert.InRange(stopped.Output.Count, 1, 299); // stopped part-way
            Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();

            var aliases = Aliases().Values.ToList();
            Assert.Contains(aliases, a => S(a, "Status") == "Available");
            // Never an Available alias that Exchange does not hold.
            var onMailboxes = ExchangeAddresses().Values.SelectMany(x => x).ToHashSet();
            Assert.All(aliases.Where(a => S(a, "Status") == "Available"), a => Assert.Contains(S(a, "Address"), onMailboxes));

            Sync("-Repair -ReservationAge 0");
            Assert.Empty(Sync());
            AssertRegistryMatchesExchange();
            Assert.DoesNotContain(Aliases().Values, a => S(a, "Status") == "Reserved");
            // Run again to finish: the pool takes the rest.
            var free = Run("Get-AwsRootMailbox").EnsureSuccess().Output.Sum(m => (int)PsResult.Property(m, "Free")!);
            Assert.Equal(free, Run("New-AwsRootAlias -Count $n", ("n", free)).EnsureSuccess().Output.Count);
            AssertRegistryMatchesExchange();
        }
    }
}
