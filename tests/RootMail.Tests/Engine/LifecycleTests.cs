using System;
using System.Linq;
using Xunit;

namespace RootMail.Tests.Engine
{
    [Collection(RegistryCollection.Name)]
    public class LifecycleTests : RegistryTestBase
    {
        public LifecycleTests(AzuriteFixture azurite) : base(azurite) { }

        [Fact]
        public void Whole_lifecycle_pool_mailboxes_provision_hand_out_register_find_retire()
        {
            var pool = Run("Set-AwsRootPool -Domain $domain -ForwardingAddress aws-admins@contoso.test -PassThru").EnsureSuccess().Single();
            Assert.Equal("RootMail.AwsRootPool", pool.TypeNames[0]);
            Assert.Equal("aws-{name}-{random}", S(pool, "AddressTemplate"));

            var m1 = Run("New-AwsRootMailbox").EnsureSuccess().Single();
            var m2 = Run("New-AwsRootMailbox -Name 'AWS Root Two' -Capacity 5").EnsureSuccess().Single();
            Assert.Equal("awsroot-001", S(m1, "Name"));
            Assert.Equal("awsroot-001@contoso.test", S(m1, "PrimarySmtpAddress"));
            Assert.Equal("aws-root-two@contoso.test", S(m2, "PrimarySmtpAddress"));
            Assert.Equal("5", S(m2, "Capacity"));

            // The mailbox in Exchange is shared, hidden, forwards to the admins and carries the pool tag.
            var exo = Run("Get-Mailbox -Identity awsroot-001").EnsureSuccess().Single();
            Assert.Equal("SharedMailbox", S(exo, "RecipientTypeDetails"));
            Assert.Equal("True", S(exo, "HiddenFromAddressListsEnabled"));
            Assert.Equal("RootMail:default", S(exo, "CustomAttribute1"));
            Assert.Contains("aws-admins@contoso.test", S(exo, "ForwardingSmtpAddress"));

            var full = Run("New-AwsRootAlias -Count 7 -Mailbox 'AWS Root Two'");
            Assert.Equal("RootMail.PoolExhausted", ErrorId(full));
            Assert.Empty(full.Output);

            var             provisioned = Run("New-AwsRootAlias -Count 7").EnsureSuccess().Output;
            Assert.Equal(7, provisioned.Count);
            Assert.All(provisioned, a => Assert.Equal("Available", S(a, "Status")));
            Assert.All(provisioned, a => Assert.Matches("^aws-[a-z0-9]{8}@contoso\\.test$", S(a, "Address")));

            var before = ExchangeCalls();
            var handed = Run("New-AwsRootAlias -RequestedBy Alice@Contoso.test -AccountName 'Team Alpha Prod'").EnsureSuccess().Single();
            Assert.Equal(before, ExchangeCalls());
            Assert.Equal("Assigned", S(handed, "Status"));
            Assert.Equal("alice@contoso.test", S(handed, "RequestedBy"));
            Assert.Equal("Team Alpha Prod", S(handed, "AccountName"));
            Assert.Contains(S(handed, "Address"), provisioned.Select(a => S(a, "Address")));
            var address = S(handed, "Address");

            var registered = Run("Get-AwsRootAlias -Address $a | Register-AwsAccountAlias -AccountId '012345678901'", ("a", address)).EnsureSuccess().Single();
            Assert.Equal("Registered", S(registered, "Status"));
            Assert.Equal("012345678901", S(registered, "AccountId"));

            Assert.Equal(address, S(Run("Get-AwsRootAlias -AccountId '012345678901'").EnsureSuccess().Single(), "Address"));
            Assert.Equal(address, S(Run("Get-AwsRootAlias -RequestedBy alice@contoso.test").EnsureSuccess().Single(), "Address"));
            Assert.Equal(6, Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Count);
            Assert.Equal(address, S(Run("Get-AwsRootAlias -Status Registered").EnsureSuccess().Single(), "Address"));
            var receiving = S(registered, "Mailbox");
            Assert.Equal(receiving, S(Run("Get-AwsRootMailbox -AccountId '012345678901'").EnsureSuccess().Single(), "PrimarySmtpAddress"));
            Assert.Equal(receiving, S(Run("Get-AwsRootMailbox -Address $a", ("a", address)).EnsureSuccess().Single(), "PrimarySmtpAddress"));

            var retired = Run("Remove-AwsRootAlias -AccountId '012345678901' -Confirm:$false -PassThru").EnsureSuccess().Single();
            Assert.Equal("Retired", S(retired, "Status"));
            Assert.Equal("012345678901", S(retired, "AccountId"));
            // The address stays on the mailbox so that mail for the closed account still arrives.
            Assert.Contains(address, ExchangeAddresses()[receiving]);
            // The account is free again for a new alias, and the retired one is never handed out.
            Assert.Empty(Run("Get-AwsRootAlias -AccountId '012345678901'").Output);
            for (int i = 0; i < 6; i++)
                Assert.NotEqual(address, S(Run("New-AwsRootAlias -RequestedBy bob@contoso.test").EnsureSuccess().Single(), "Address"));
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Hand_out_without_available_aliases_adds_one_address_in_one_exchange_call()
        {
            Setup(mailboxes: 1);
            Run("Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            var result = Run("New-AwsRootAlias -RequestedBy alice@contoso.test -AccountName 'Payments Prod (EU)' -Verbose").EnsureSuccess();
            var alias = result.Single();
            Assert.Matches("^aws-payments-prod-eu-[a-z0-9]{8}@contoso\\.test$", S(alias, "Address"));
            Assert.Equal("Assigned", S(alias, "Status"));
            var stats = ExchangeStatistics();
            Assert.Equal(1, (int)PsResult.Property(stats, "SetMailbox")!);
            Assert.Equal(1, (int)PsResult.Property(stats, "AddressesAdded")!);
            // A claim window and the availability index (two queries) find nothing; pool row, mailbox rows, reservation, final transaction.
            Assert.Equal((7, 1), RoundTrips(result));
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Claiming_a_pre_provisioned_alias_needs_no_exchange_at_all()
        {
            Setup(available: 3);
            // A runbook with registry access only: no Exchange module in the session.
            using var registryOnly = PsHarness.Create(importSimulator: false);
            Connect(registryOnly, exchange: false);
            var result = registryOnly.Run("New-AwsRootAlias -RequestedBy runbook@contoso.test -Verbose", Vars()).EnsureSuccess();
            Assert.Equal("Assigned", S(result.Single(), "Status"));
            var (registry, exchange) = RoundTrips(result);
            Assert.Equal(0, exchange);
            Assert.Equal(3, registry); // a claim window (empty in a new pool), one query to fill it, one transaction
            Assert.Equal(1, Queries(result));
        }

        /// <summary>Hands out <paramref name="count"/> aliases one by one: the most registry requests one took, how many were pure point reads, and all queries.</summary>
        (int MostRequests, int WithoutQuery, int Queries) HandOutCosts(int count, string requester)
        {
            int most = 0, withoutQuery = 0, queries = 0;
            for (int i = 0; i < count; i++)
            {
                var result = Run("New-AwsRootAlias -RequestedBy $r -Verbose", ("r", requester)).EnsureSuccess();
                var (registry, exchange) = RoundTrips(result);
                Assert.Equal(0, exchange);
                int q = Queries(result);
                if (q == 0) { Assert.True(2 == registry, result.Describe()); withoutQuery++; }
                Assert.InRange(q, 0, 1);
                most = Math.Max(most, registry);
                queries += q;
            }
            return (most, withoutQuery, queries);
        }

        [Fact]
        public void Round_trips_stay_constant_as_the_registry_grows()
        {
            Setup(mailboxes: 2, capacity: 300);
            Run("New-AwsRootAlias -Count 40 | Out-Null").EnsureSuccess();
            var small = HandOutCosts(10, "a@contoso.test");
            Run("New-AwsRootAlias -Count 500 | Out-Null").EnsureSuccess();
            var large = HandOutCosts(30, "b@contoso.test");
            // A claim from a listed window is a point read and a transaction; one that finds its window empty adds one query to fill it.
            Assert.Equal(3, small.MostRequests);
            Assert.Equal(3, large.MostRequests);
            Assert.True(large.WithoutQuery >= 10, $"only {large.WithoutQuery} of 30 hand-outs found their alias without a query");
            Assert.True(large.Queries <= 20, $"{large.Queries} queries for 30 hand-outs");

            var registered = Run("New-AwsRootAlias -RequestedBy c@contoso.test | Register-AwsAccountAlias -AccountId '000000000042'").EnsureSuccess().Single();
            var byAddress = RoundTrips(Run("Get-AwsRootAlias -Address $a -Verbose", ("a", S(registered, "Address"))).EnsureSuccess());
            var byAccount = RoundTrips(Run("Get-AwsRootAlias -AccountId '000000000042' -Verbose").EnsureSuccess());
            Assert.Equal((1, 0), byAddress);
            Assert.Equal((1, 0), byAccount); // the account binding is a copy of the alias
            var handed = S(Run("New-AwsRootAlias -RequestedBy d@contoso.test").EnsureSuccess().Single(), "Address");
            var register = RoundTrips(Run("Register-AwsAccountAlias -Address $a -AccountId '000000000043' -Verbose", ("a", handed)).EnsureSuccess());
            Assert.Equal((2, 0), register);
        }

        [Fact]
        public void Lookups_by_requester_and_account_show_every_change_of_the_aliases()
        {
            Setup(mailboxes: 1, capacity: 300, available: 3);
            string HandOut() => S(Run("New-AwsRootAlias -RequestedBy carol@contoso.test -AccountName 'Carol Sandbox'").EnsureSuccess().Single(), "Address");
            var handed = Enumerable.Range(0, 5).Select(_ => HandOut()).ToList(); // three claimed, two new addresses
            Run("Register-AwsAccountAlias -Address $a -AccountId '000000000101'", ("a", handed[0])).EnsureSuccess();
            Run("Register-AwsAccountAlias -Address $a -AccountId '000000000102'", ("a", handed[1])).EnsureSuccess();
            Run("Remove-AwsRootAlias -Address $a -Confirm:$false", ("a", handed[1])).EnsureSuccess();
            Run("Remove-AwsRootAlias -Address $a -RemoveAddress -Confirm:$false", ("a", handed[2])).EnsureSuccess();
            Run("Remove-AwsRootAlias -Address $a -Release -Confirm:$false", ("a", handed[3])).EnsureSuccess();

            var result = Run("Get-AwsRootAlias -RequestedBy carol@contoso.test -Verbose").EnsureSuccess();
            Assert.Equal((2, 0), RoundTrips(result)); // the pool row and one range of the requester index, whatever the number of aliases
            Assert.Equal(1, Queries(result));
            var byRequester = result.Output.ToDictionary(a => S(a, "Address"));
            Assert.Equal(new[] { handed[0], handed[1], handed[2], handed[4] }.OrderBy(a => a), byRequester.Keys.OrderBy(a => a)); // the released one is gone
            foreach (var address in byRequester.Keys)
            {
                var direct = Run("Get-AwsRootAlias -Address $a", ("a", address)).EnsureSuccess().Single();
                foreach (var property in new[] { "Status", "Mailbox", "AccountId", "AccountName", "RequestedBy", "CreatedAt", "AssignedAt", "RegisteredAt", "RetiredAt", "AddressRemoved" })
                    Assert.True(S(direct, property) == S(byRequester[address], property), $"{address} {property}: '{S(direct, property)}' by address, '{S(byRequester[address], property)}' by requester");
            }
            Assert.Equal("Registered", S(byRequester[handed[0]], "Status"));
            Assert.Equal("True", S(byRequester[handed[2]], "AddressRemoved"));

            var byAccount = Run("Get-AwsRootAlias -AccountId '000000000101'").EnsureSuccess().Single();
            Assert.Equal(S(byRequester[handed[0]], "RegisteredAt"), S(byAccount, "RegisteredAt"));
            Assert.Equal("Registered", S(byAccount, "Status"));
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Run("Get-AwsRootAlias -AccountId '000000000102'"))); // retiring removed the binding
        }

        [Fact]
        public void An_alias_taken_another_way_while_listed_in_a_claim_window_is_never_handed_out_again()
        {
            Setup(mailboxes: 1, capacity: 300, available: 40);
            var handed = Enumerable.Range(0, 8).Select(i => S(Run("New-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Single(), "Address")).ToList();
            // Claim windows now list some of the remaining aliases. Retire two available ones, then take the rest pinned to the
            // mailbox (which reads the availability index directly), so every listed alias has gone another way.
            var retired = Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Take(2).Select(a => S(a, "Address")).ToList();
            foreach (var a in retired) Run("Remove-AwsRootAlias -Address $a -Confirm:$false", ("a", a)).EnsureSuccess();
            for (int left = Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Count; left > 0; left--)
                handed.Add(S(Run("New-AwsRootAlias -RequestedBy b@contoso.test -Mailbox awsroot-001").EnsureSuccess().Single(), "Address"));
            Assert.Equal(38, handed.Count);

            Run("Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            for (int i = 0; i < 5; i++) handed.Add(S(Run("New-AwsRootAlias -RequestedBy c@contoso.test").EnsureSuccess().Single(), "Address"));
            Assert.Equal(handed.Count, handed.Distinct().Count());
            Assert.Equal(5, (int)PsResult.Property(ExchangeStatistics(), "AddressesAdded")!); // the last five are new addresses
            var aliases = Aliases();
            Assert.All(retired, a => Assert.Equal("Retired", S(aliases[a], "Status")));
            Assert.All(handed, a => Assert.Equal("Assigned", S(aliases[a], "Status")));
            Assert.Empty(Run("Sync-AwsRootRegistry").EnsureSuccess().Output);
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Provisioning_250_aliases_takes_one_exchange_call()
        {
            Setup(mailboxes: 1, capacity: 300);
            Run("Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();
            var result = Run("New-AwsRootAlias -Count 250 -Verbose").EnsureSuccess();
            Assert.Equal(250, result.Output.Count);
            Assert.Equal(250, result.Output.Select(a => S(a, "Address")).Distinct().Count());
            var stats = ExchangeStatistics();
            Assert.Equal(1, (int)PsResult.Property(stats, "SetMailbox")!);
            Assert.Equal(250, (int)PsResult.Property(stats, "AddressesAdded")!);
            var (registry, _) = RoundTrips(result);
            Assert.Equal(2 + 3 + 5, registry); // pool + mailboxes, reservations of 99 (the mailbox row as read, then as written), availability in 50s
            Assert.NotEmpty(result.Progress);
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Provisioning_spreads_over_mailboxes_and_stops_at_capacity_without_writing()
        {
            Setup(mailboxes: 2, capacity: 10);
            var made = Run("New-AwsRootAlias -Count 15").EnsureSuccess().Output;
            Assert.Equal(new[] { 10, 5 }, made.GroupBy(a => S(a, "Mailbox")).OrderBy(g => g.Key).Select(g => g.Count()));
            var before = ExchangeCalls();
            var tooMany = Run("New-AwsRootAlias -Count 6");
            Assert.Equal("RootMail.PoolExhausted", ErrorId(tooMany));
            Assert.Contains("room for 5 more", tooMany.Errors.Single().Exception.Message);
            Assert.Equal(before, ExchangeCalls());
            Assert.Equal(15, Aliases().Count);
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Register_is_one_to_one_both_ways_and_idempotent()
        {
            Setup(available: 3);
            var a = S(Run("New-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Single(), "Address");
            var b = S(Run("New-AwsRootAlias -RequestedBy b@contoso.test").EnsureSuccess().Single(), "Address");
            Run("Register-AwsAccountAlias -Address $a -AccountId '111111111111'", ("a", a)).EnsureSuccess();
            var again = Run("Register-AwsAccountAlias -Address $a -AccountId '111111111111'", ("a", a)).EnsureSuccess().Single();
            Assert.Equal("Registered", S(again, "Status"));
            Assert.Equal("RootMail.AliasAlreadyRegistered", ErrorId(Run("Register-AwsAccountAlias -Address $a -AccountId '222222222222'", ("a", a))));
            var conflict = Run("Register-AwsAccountAlias -Address $b -AccountId '111111111111'", ("b", b));
            Assert.Equal("RootMail.AccountAlreadyRegistered", conflict.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains(a, conflict.Errors.Single().Exception.Message);
            Assert.Equal("Assigned", S(Run("Get-AwsRootAlias -Address $b", ("b", b)).Single(), "Status"));
            var available = S(Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.First(), "Address");
            Assert.Equal("RootMail.AliasNotAssigned", ErrorId(Run("Register-AwsAccountAlias -Address $c -AccountId '333333333333'", ("c", available))));
        }

        [Fact]
        public void Release_returns_an_unregistered_alias_and_remove_address_takes_it_off_the_mailbox()
        {
            Setup(available: 2);
            var a = S(Run("New-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Single(), "Address");
            var released = Run("Remove-AwsRootAlias -Address $a -Release -Confirm:$false -PassThru", ("a", a)).EnsureSuccess().Single();
            Assert.Equal("Available", S(released, "Status"));
            Assert.Equal("", S(released, "RequestedBy"));
            Assert.Empty(Run("Get-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Output);

            var b = S(Run("New-AwsRootAlias -RequestedBy b@contoso.test | Register-AwsAccountAlias -AccountId '444444444444'").EnsureSuccess().Single(), "Address");
            Assert.Equal("RootMail.CannotRelease", ErrorId(Run("Remove-AwsRootAlias -Address $b -Release -Confirm:$false", ("b", b))));
            var gone = Run("Remove-AwsRootAlias -Address $b -RemoveAddress -Confirm:$false -PassThru", ("b", b)).EnsureSuccess().Single();
            Assert.Equal("Retired", S(gone, "Status"));
            Assert.Equal("True", S(gone, "AddressRemoved"));
            Assert.DoesNotContain(b, ExchangeAddresses().Values.SelectMany(x => x));
            // Still in the registry, so the address is never made again.
            Assert.Equal("Retired", S(Run("Get-AwsRootAlias -Address $b", ("b", b)).EnsureSuccess().Single(), "Status"));
            AssertRegistryMatchesExchange();
        }

        [Fact]
        public void Adopt_takes_an_existing_shared_mailbox_with_its_aliases()
        {
            Run("Set-AwsRootPool -Domain $domain").EnsureSuccess();
            Run(@"Connect-ExchangeOnline -Organization $tenant -AcceptedDomain fabrikam.test
                  New-Mailbox -Shared -Name legacy-root-01 -PrimarySmtpAddress legacy-root-01@contoso.test | Out-Null
                  Set-Mailbox -Identity legacy-root-01 -EmailAddresses @{Add='smtp:aws-old-1@contoso.test','smtp:aws-old-2@contoso.test','smtp:other@fabrikam.test'}").EnsureSuccess();
            var mailbox = Run("Get-Mailbox -Identity legacy-root-01 | New-AwsRootMailbox -Adopt -Capacity 50").EnsureSuccess().Single();
            Assert.Equal("2", S(mailbox, "Used"));
            Assert.Equal("48", S(mailbox, "Free"));
            var aliases = Aliases();
            Assert.Equal(new[] { "aws-old-1@contoso.test", "aws-old-2@contoso.test" }, aliases.Keys.OrderBy(x => x));
            Assert.All(aliases.Values, a => Assert.Equal("Available", S(a, "Status")));
            Assert.Equal("RootMail.MailboxAlreadyInPool", ErrorId(Run("New-AwsRootMailbox -Adopt -Name legacy-root-01")));
        }

        [Fact]
        public void Exchange_refusals_become_RootMail_errors_and_leave_the_registry_clean()
        {
            Setup(mailboxes: 1);
            var taken = Run("New-AwsRootMailbox -Name awsroot-001 -PrimarySmtpAddress other-001@contoso.test");
            Assert.Equal("RootMail.ExchangeError", ErrorId(taken));
            Assert.Contains("is already being used", taken.Errors[0].Exception.Message);
            Assert.Single(Run("Get-AwsRootMailbox").EnsureSuccess().Output);

            // Someone else filled the mailbox with 150 proxy addresses RootMail does not know about: Exchange's 400 bites
            // before the registry's capacity of 300 does. Nothing is recorded, and the mailbox counts as full from then on.
            Run(@"Connect-ExchangeOnline -Organization $tenant -AcceptedDomain fabrikam.test
                  Set-Mailbox -Identity awsroot-001 -EmailAddresses @{ Add = @(1..150 | ForEach-Object { ""smtp:legacy$_@fabrikam.test"" }) }").EnsureSuccess();
            var full = Run("New-AwsRootAlias -Count 300");
            Assert.Equal("RootMail.MailboxFull", ErrorId(full));
            Assert.Empty(full.Output);
            Assert.Empty(Aliases());
            var mailbox = Run("Get-AwsRootMailbox").EnsureSuccess().Single();
            Assert.Equal("0", S(mailbox, "Used"));
            Assert.Equal("0", S(mailbox, "Free"));
            Assert.Equal("RootMail.PoolExhausted", ErrorId(Run("New-AwsRootAlias -RequestedBy a@contoso.test")));
        }

        [Fact]
        public void Pipeline_input_by_property_name()
        {
            Setup(available: 2);
            var result = Run(@"@([pscustomobject]@{ RequestedBy = 'a@contoso.test'; AccountName = 'A' }, [pscustomobject]@{ RequestedBy = 'b@contoso.test'; AccountName = 'B' }) |
                New-AwsRootAlias").EnsureSuccess();
            Assert.Equal(new[] { "A", "B" }, result.Output.Select(a => S(a, "AccountName")));
            // A bare 000123456789 bound to a [string] parameter keeps its leading zeros.
            var registered = Run("New-AwsRootAlias -RequestedBy c@contoso.test -AccountName 'C Prod' | Register-AwsAccountAlias -AccountId 000123456789").EnsureSuccess().Single();
            Assert.Equal("000123456789", S(registered, "AccountId"));
            Assert.Equal("C Prod", S(registered, "AccountName"));
        }

        [Fact]
        public void Tab_completion_offers_pools_mailboxes_and_addresses_from_the_registry()
        {
            Setup(mailboxes: 2, available: 3);
            string[] Complete(string line) => Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", ("line", line))
                .EnsureSuccess().Output.Select(o => o.ToString()!).ToArray();
            Assert.Equal(new[] { "default" }, Complete("Get-AwsRootAlias -Pool def"));
            Assert.Equal(new[] { "awsroot-001", "awsroot-002" }, Complete("New-AwsRootAlias -Count 1 -Mailbox awsroot"));
            var addresses = Aliases().Keys.OrderBy(a => a).ToArray();
            Assert.Equal(addresses, Complete("Get-AwsRootAlias -Address aws-").OrderBy(a => a).ToArray());
            Assert.Equal(new[] { addresses[0] }, Complete("Register-AwsAccountAlias -Address " + addresses[0].Substring(0, 10)));
        }

        [Fact]
        public void Tables_read_well_by_default()
        {
            Setup(available: 2);
            var text = Ps.RenderDefault("Get-AwsRootAlias", Vars());
            Assert.Matches("Address\\s+Status\\s+AccountId\\s+AccountName\\s+RequestedBy\\s+Mailbox", text);
            Assert.Contains("Available", text);
            Assert.Matches("Name\\s+PrimarySmtpAddress\\s+Capacity\\s+Used\\s+Free", Ps.RenderDefault("Get-AwsRootMailbox", Vars()));
            Assert.Matches("Name\\s+Domain\\s+AddressTemplate", Ps.RenderDefault("Get-AwsRootPool", Vars()));
        }
    }
}
