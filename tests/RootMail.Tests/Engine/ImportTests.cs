using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>
    /// Import-AwsRootRegistry against a table in the reference design's layout in Azurite and shared mailboxes in the
    /// Exchange simulator that carry the aliases.
    /// <para>
    /// The source table is written from PowerShell in the test's runspace with the Azure.Data.Tables that RootMail itself
    /// loads (after Connect-AwsRootRegistry the type is there), not with a package reference of the test assembly: a second
    /// Azure.Data.Tables (and an older Azure.Core with it) in the test process would be the copy .NET hands the module too.
    /// Values keep their .NET types, so the rows have real booleans, Int32 and Int64 columns next to strings.
    /// </para>
    /// </summary>
    [Collection(RegistryCollection.Name)]
    public class ImportTests : RegistryTestBase
    {
        public ImportTests(AzuriteFixture azurite) : base(azurite)
        {
            Source = "ref" + Table;
        }

        /// <summary>The reference table of this test.</summary>
        string Source { get; }

        const string Box1 = "awsroot01@contoso.test";
        const string Box2 = "awsroot02@contoso.test";

        /// <summary>A row of the reference design: RowKey, aws_mail, in_use, user_mail, root_mailbox, aws_account_id (null: column absent).</summary>
        static object?[] R(string key, string? mail, object? inUse, string? user, string? mailbox, object? account) => new[] { key, mail, inUse, user, mailbox, account };

        /// <summary>Writes rows into a reference-design table (partition 'root' unless the row key says 'partition:key').</summary>
        /// <summary>Writes a table in the reference design's layout with the test's own Azure.Data.Tables: the module's copy lives
        /// in RootMail's load context, out of the session's sight, and the test process's default context holds another copy.</summary>
        void Seed(string table, params object?[][] rows)
        {
            var client = new Azure.Data.Tables.TableClient(Azurite.ConnectionString, table);
            client.CreateIfNotExists();
            var names = new[] { "aws_mail", "in_use", "user_mail", "root_mailbox", "aws_account_id" };
            foreach (var r in rows)
            {
                var key = (string)r[0]!;
                var parts = key.Contains(':') ? key.Split(':', 2) : new[] { "root", key };
                var entity = new Azure.Data.Tables.TableEntity(parts[0], parts[1]);
                for (int i = 0; i < names.Length; i++) if (r[i + 1] != null) entity[names[i]] = r[i + 1];
                client.AddEntity(entity);
            }
            Ps.SetVariable("source", table);
        }

        void SharedMailbox(string name, string primary, params string[] aliases)
        {
            Run("New-Mailbox -Shared -Name $n -PrimarySmtpAddress $p | Out-Null", ("n", name), ("p", primary)).EnsureSuccess();
            if (aliases.Length > 0)
                Run("Set-Mailbox -Identity $p -EmailAddresses @{Add = [string[]]$a}", ("p", primary), ("a", aliases)).EnsureSuccess();
        }

        PsResult Import(string extra = "") => Run("Import-AwsRootRegistry -SourceTableName $source " + extra, ("source", Source));

        static Dictionary<string, PSObject> ByAddress(PsResult result) => result.Output.ToDictionary(o => S(o, "Address"));

        /// <summary>Registry aliases, mailboxes (Used, other proxies) and pools, as text, to compare before and after.</summary>
        string Snapshot()
        {
            var aliases = Run("Get-AwsRootAlias").EnsureSuccess().Output
                .Select(a => string.Join("|", S(a, "Address"), S(a, "Status"), S(a, "AccountId"), S(a, "RequestedBy"), S(a, "Mailbox"))).OrderBy(x => x);
            var mailboxes = Run("Get-AwsRootMailbox").EnsureSuccess().Output
                .Select(m => S(m, "PrimarySmtpAddress") + ":" + S(m, "Used") + "+" + S(m, "OtherProxyAddresses")).OrderBy(x => x);
            var available = Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Select(a => "avail:" + S(a, "Address")).OrderBy(x => x);
            return string.Join("\n", aliases.Concat(mailboxes).Concat(available));
        }

        /// <summary>Every pool mailbox: Used equals its alias rows, every alias row is on it in Exchange, Used + other addresses equals what Exchange holds.</summary>
        void AssertCountersMatch()
        {
            var aliases = Aliases();
            var exchange = Run("Get-Mailbox").EnsureSuccess().Output
                .ToDictionary(m => S(m, "PrimarySmtpAddress").ToLowerInvariant(), m => ((IEnumerable)PsResult.Property(m, "EmailAddresses")!).Cast<object>().Select(o => o.ToString()!).ToList());
            foreach (var mailbox in Run("Get-AwsRootMailbox").EnsureSuccess().Output)
            {
                var primary = S(mailbox, "PrimarySmtpAddress");
                var onIt = aliases.Values.Where(a => S(a, "Mailbox") == primary).Select(a => S(a, "Address")).ToList();
                Assert.Equal(onIt.Count, (int)PsResult.Property(mailbox, "Used")!);
                Assert.All(onIt, a => Assert.Contains("smtp:" + a, exchange[primary]));
                Assert.Equal(exchange[primary].Count, (int)PsResult.Property(mailbox, "Used")! + (int)PsResult.Property(mailbox, "OtherProxyAddresses")!);
            }
        }

        /// <summary>The realistic reference table: free, in use with and without account, and every kind of bad row.</summary>
        void SeedRealistic()
        {
            Run("Set-AwsRootPool -Domain $domain -ForwardingAddress aws-admins@contoso.test").EnsureSuccess();
            SharedMailbox("AWS Root 01", Box1, "aws-free1@contoso.test", "aws-free2@contoso.test", "aws-reg1@contoso.test", "aws-zero1@contoso.test",
                "aws-dup1@contoso.test", "aws-old1@contoso.test", "aws-badreq@contoso.test", "aws-unlisted@contoso.test");
            SharedMailbox("AWS Root 02", Box2, "aws-reg2@contoso.test", "aws-asg1@contoso.test", "aws-dup2@contoso.test");
            SharedMailbox("Not In Pool", "other@contoso.test", "aws-elsewhere@contoso.test");
            Seed(Source,
                R("01", "aws-free1@contoso.test", false, null, "AWS Root 01", null),                               // free (bool), mailbox by name
                R("02", "AWS-Free2@Contoso.test", "false", "", Box1, ""),                                         // free (string), mailbox by address, mixed case
                R("03", "aws-reg1@contoso.test", true, "Alice@Contoso.test", "AWS Root 01", "001234567890"),      // in use with account (string)
                R("04", "aws-reg2@contoso.test", 1, "bob@contoso.test", "awsroot02@contoso.test", 123456789012L), // in use (1) with account (Int64, 12 digits)
                R("05", "aws-asg1@contoso.test", "True", "carol@contoso.test", "AWS Root 02", ""),                // in use without account
                R("06", "aws-zero1@contoso.test", true, "dave@contoso.test", "AWS Root 01", 98765432101L),        // account lost its leading zero
                R("07", "not an address", true, "erin@contoso.test", "AWS Root 01", "111111111111"),              // bad address
                R("08", "aws-x1@fabrikam.test", false, null, "AWS Root 01", null),                                // foreign domain
                R("09", "aws-unk1@contoso.test", false, null, "AWS Root 99", null),                               // unknown mailbox
                R("10", "aws-dup1@contoso.test", true, "frank@contoso.test", "AWS Root 01", "222233334444"),      // one account ...
                R("11", "aws-dup2@contoso.test", true, "grace@contoso.test", "AWS Root 02", "222233334444"),      // ... on two aliases
                R("12", "aws-old1@contoso.test", false, "heidi@contoso.test", "AWS Root 01", "333344445555"),     // freed after its account: never reused
                R("13", "aws-badreq@contoso.test", true, "not-a-mail", "AWS Root 01", null),                      // requester unusable
                R("14", "aws-elsewhere@contoso.test", false, null, "AWS Root 01", null),                          // not on that mailbox in Exchange
                R("other:15", "aws-notroot@contoso.test", false, null, "AWS Root 01", null));                    // another partition: not the reference rows
        }

        [Fact]
        public void Import_brings_every_row_in_with_the_right_status_indexes_and_counters()
        {
            SeedRealistic();
            var setMailboxCalls = PsResult.Property(ExchangeStatistics(), "SetMailbox");
            var first = Import("-Verbose");
            Assert.Empty(first.Errors);
            Assert.Equal(14, first.Output.Count);
            Assert.All(first.Output, o => Assert.Equal("RootMail.AwsRootImportResult", o.TypeNames[0]));
            var result = ByAddress(first);
            void Outcome(string address, string outcome, string? status = null)
            {
                Assert.True(result.ContainsKey(address), address + " missing from the output");
                Assert.Equal(outcome, S(result[address], "Outcome"));
                if (status != null) Assert.Equal(status, S(result[address], "Status"));
            }
            Outcome("aws-free1@contoso.test", "Imported", "Available");
            Outcome("aws-free2@contoso.test", "Imported", "Available");
            Outcome("aws-reg1@contoso.test", "Imported", "Registered");
            Outcome("aws-reg2@contoso.test", "Imported", "Registered");
            Outcome("aws-asg1@contoso.test", "Imported", "Assigned");
            Outcome("aws-old1@contoso.test", "Imported", "Retired");
            Outcome("aws-zero1@contoso.test", "Rejected");
            Outcome("not an address", "Rejected");
            Outcome("aws-x1@fabrikam.test", "Rejected");
            Outcome("aws-unk1@contoso.test", "Rejected");
            Outcome("aws-dup1@contoso.test", "Conflict");
            Outcome("aws-dup2@contoso.test", "Conflict");
            Outcome("aws-badreq@contoso.test", "Rejected");
            Outcome("aws-elsewhere@contoso.test", "Rejected");
            Assert.Equal("98765432101", S(result["aws-zero1@contoso.test"], "AccountId"));
            Assert.Contains("'098765432101'", S(result["aws-zero1@contoso.test"], "Reason"));
            Assert.Contains("leading zero", S(result["aws-zero1@contoso.test"], "Reason"));
            Assert.Contains("-Pool", S(result["aws-x1@fabrikam.test"], "Reason"));
            Assert.Contains("AWS Root 99", S(result["aws-unk1@contoso.test"], "Reason"));
            Assert.Contains("aws-dup2@contoso.test", S(result["aws-dup1@contoso.test"], "Reason"));
            Assert.Contains("Get-Recipient", S(result["aws-elsewhere@contoso.test"], "Reason"));
            Assert.All(first.Output.Where(o => S(o, "Outcome") is "Rejected" or "Conflict"), o => Assert.False(string.IsNullOrWhiteSpace(S(o, "Reason"))));
            Assert.Contains(first.Warning, w => w.Message.StartsWith("8 of 14 rows were not imported") && w.Message.Contains("Reason"));
            Assert.Contains(first.Warning, w => w.Message.Contains("aws-unlisted@contoso.test") || w.Message.Contains("1 address(es)"));

            // The registry: statuses, requesters, accounts, and every index.
            var aliases = Aliases();
            Assert.Equal(new[] { "aws-asg1@contoso.test", "aws-free1@contoso.test", "aws-free2@contoso.test", "aws-old1@contoso.test", "aws-reg1@contoso.test", "aws-reg2@contoso.test" },
                aliases.Keys.OrderBy(x => x));
            Assert.Equal("alice@contoso.test", S(aliases["aws-reg1@contoso.test"], "RequestedBy"));
            Assert.Equal(Box1, S(aliases["aws-reg1@contoso.test"], "Mailbox"));
            Assert.Equal("123456789012", S(aliases["aws-reg2@contoso.test"], "AccountId"));
            Assert.Equal(Box2, S(aliases["aws-asg1@contoso.test"], "Mailbox"));
            Assert.Equal("333344445555", S(aliases["aws-old1@contoso.test"], "AccountId"));
            Assert.Equal("aws-reg1@contoso.test", S(Run("Get-AwsRootAlias -AccountId '001234567890'").EnsureSuccess().Single(), "Address"));
            Assert.Equal("aws-reg2@contoso.test", S(Run("Get-AwsRootAlias -AccountId '123456789012'").EnsureSuccess().Single(), "Address"));
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Run("Get-AwsRootAlias -AccountId '333344445555'"))); // retired: no binding
            Assert.Equal("RootMail.AliasNotFound", ErrorId(Run("Get-AwsRootAlias -AccountId '222233334444'")));
            Assert.Equal("aws-reg1@contoso.test", S(Run("Get-AwsRootAlias -RequestedBy alice@contoso.test").EnsureSuccess().Single(), "Address"));
            Assert.Equal("aws-asg1@contoso.test", S(Run("Get-AwsRootAlias -RequestedBy carol@contoso.test").EnsureSuccess().Single(), "Address"));
            Assert.Equal(new[] { "aws-free1@contoso.test", "aws-free2@contoso.test" },
                Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Select(a => S(a, "Address")).OrderBy(x => x));
            Assert.Equal(Box1, S(Run("Get-AwsRootMailbox -AccountId '001234567890'").EnsureSuccess().Single(), "PrimarySmtpAddress"));

            // The mailboxes were recorded by the import, registry only: Exchange was read, never changed.
            var mailboxes = Run("Get-AwsRootMailbox").EnsureSuccess().Output.ToDictionary(m => S(m, "PrimarySmtpAddress"));
            Assert.Equal(new[] { Box1, Box2 }, mailboxes.Keys.OrderBy(x => x));
            Assert.Equal("4", S(mailboxes[Box1], "Used"));
            Assert.Equal("2", S(mailboxes[Box2], "Used"));
            AssertCountersMatch();
            Assert.Equal(setMailboxCalls, PsResult.Property(ExchangeStatistics(), "SetMailbox"));
            // Recorded, so New-AwsRootMailbox -Adopt (which would make unknown aliases Available) refuses them now.
            Assert.Equal("RootMail.MailboxAlreadyInPool", ErrorId(Run("New-AwsRootMailbox -Adopt -Identity $p", ("p", Box1))));

            // A second run imports nothing new: imported rows are AlreadyPresent, the others are reported again, the registry is unchanged.
            var before = Snapshot();
            var second = Import();
            Assert.Empty(second.Errors);
            Assert.Equal(14, second.Output.Count);
            Assert.DoesNotContain(second.Output, o => S(o, "Outcome") == "Imported");
            foreach (var o in second.Output)
            {
                var was = S(result[S(o, "Address")], "Outcome");
                Assert.Equal(was == "Imported" ? "AlreadyPresent" : was, S(o, "Outcome"));
            }
            Assert.Equal(before, Snapshot());

            // Hand-out after the import never returns an alias the reference design had in use (or any unimported address).
            var neverHandOut = new[] { "aws-reg1@contoso.test", "aws-reg2@contoso.test", "aws-asg1@contoso.test", "aws-old1@contoso.test", "aws-zero1@contoso.test",
                "aws-dup1@contoso.test", "aws-dup2@contoso.test", "aws-badreq@contoso.test", "aws-unlisted@contoso.test" };
            var handed = Enumerable.Range(0, 5).Select(i => S(Run("New-AwsRootAlias -RequestedBy $r", ("r", $"user{i}@contoso.test")).EnsureSuccess().Single(), "Address")).ToList();
            Assert.Equal(5, handed.Distinct().Count());
            Assert.Contains("aws-free1@contoso.test", handed);
            Assert.Contains("aws-free2@contoso.test", handed);
            Assert.Empty(handed.Intersect(neverHandOut));
            AssertCountersMatch();
        }

        [Fact]
        public void A_clean_source_imported_twice_reports_every_row_AlreadyPresent_the_second_time()
        {
            Run("Set-AwsRootPool -Domain $domain").EnsureSuccess();
            var addresses = Enumerable.Range(1, 30).Select(i => $"aws-c{i:00}@contoso.test").ToArray();
            SharedMailbox("AWS Root 01", Box1, addresses);
            Seed(Source, addresses.Select((a, i) => i % 3 == 0 ? R("k" + i, a, false, null, "AWS Root 01", null)
                                                : i % 3 == 1 ? R("k" + i, a, true, $"req{i}@contoso.test", Box1, (100000000000L + i).ToString())
                                                : R("k" + i, a, "1", $"req{i}@contoso.test", "AWS Root 01", null)).ToArray());
            var first = Import("-Verbose").EnsureSuccess();
            Assert.Equal(30, first.Output.Count);
            // Pool and one source page; the mailbox by name (a query, then its row) and by address (its row); per row the alias, the account binding of the 10 Registered ones, one transaction.
            Assert.Equal((2 + 3 + 30 * 2 + 10, 2), RoundTrips(first));
            Assert.All(first.Output, o => Assert.Equal("Imported", S(o, "Outcome")));
            Assert.Empty(first.Warning);
            var before = Snapshot();

            var second = Import("-Verbose").EnsureSuccess();
            Assert.Equal(30, second.Output.Count);
            Assert.All(second.Output, o => Assert.Equal("AlreadyPresent", S(o, "Outcome")));
            Assert.Empty(second.Warning);
            Assert.Equal((2 + 2 + 30, 2), RoundTrips(second)); // the mailbox is recorded now: found by name in the pool's mailbox rows
            Assert.Equal(before, Snapshot());
            Assert.Equal("30", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));
            Assert.Equal(10, Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Count);
            Assert.Equal(10, Run("Get-AwsRootAlias -Status Registered").EnsureSuccess().Output.Count);
            Assert.Equal(10, Run("Get-AwsRootAlias -Status Assigned").EnsureSuccess().Output.Count);
            AssertCountersMatch();
            // Shown as a table by default.
            var text = Ps.RenderDefault("Import-AwsRootRegistry -SourceTableName $source", Vars(("source", Source)));
            Assert.Contains("Outcome", text);
            Assert.Contains("AlreadyPresent", text);
        }

        [Fact]
        public void WhatIf_reports_what_each_row_would_become_and_writes_nothing()
        {
            SeedRealistic();
            var calls = ExchangeStatistics();
            var whatIf = Ps.Render("Import-AwsRootRegistry -SourceTableName $source -WhatIf", Vars(("source", Source)));
            Assert.Contains("Import as Registered to AWS account 001234567890 (requested by alice@contoso.test) on mailbox awsroot01@contoso.test", whatIf.HostText);
            Assert.Contains("Import as Available on mailbox awsroot01@contoso.test (recorded in the pool by this import", whatIf.HostText);
            Assert.Contains("Import as Assigned to carol@contoso.test", whatIf.HostText);
            Assert.Contains("on target \"aws-free2@contoso.test\"", whatIf.HostText);
            // Rows that would not be imported are still reported, so a dry run finds what to fix.
            Assert.Contains("aws-zero1@contoso.test", whatIf.HostText);
            Assert.Contains("Rejected", whatIf.HostText);
            Assert.Empty(Aliases());
            Assert.Empty(Run("Get-AwsRootMailbox").EnsureSuccess().Output);
            Assert.Equal(PsResult.Property(calls, "SetMailbox"), PsResult.Property(ExchangeStatistics(), "SetMailbox"));

            // The same command without -WhatIf does what it said.
            Assert.Equal(6, Import().EnsureSuccess().Output.Count(o => S(o, "Outcome") == "Imported"));
            Assert.Equal(6, Aliases().Count);
        }

        [Fact]
        public void A_mailbox_adopted_before_the_import_gets_its_in_use_aliases_taken_out_of_hand_out()
        {
            Run("Set-AwsRootPool -Domain $domain").EnsureSuccess();
            SharedMailbox("AWS Root 01", Box1, "aws-a1@contoso.test", "aws-a2@contoso.test", "aws-a3@contoso.test", "aws-a4@contoso.test");
            // The wrong order: adoption makes every alias it does not know Available ...
            Run("New-AwsRootMailbox -Adopt -Identity 'AWS Root 01' | Out-Null").EnsureSuccess();
            Assert.Equal(4, Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Count);
            Seed(Source,
                R("1", "aws-a1@contoso.test", false, null, "AWS Root 01", null),
                R("2", "aws-a2@contoso.test", true, "alice@contoso.test", "AWS Root 01", "000011112222"),
                R("3", "aws-a3@contoso.test", true, "bob@contoso.test", "AWS Root 01", null),
                R("4", "aws-a4@contoso.test", false, null, "AWS Root 01", "000033334444"));
            // ... and the import takes the ones in use (or retired) out of hand-out again.
            var import = Import().EnsureSuccess();
            var result = ByAddress(import);
            Assert.Equal("AlreadyPresent", S(result["aws-a1@contoso.test"], "Outcome"));
            Assert.Equal(("Imported", "Registered"), (S(result["aws-a2@contoso.test"], "Outcome"), S(result["aws-a2@contoso.test"], "Status")));
            Assert.Equal(("Imported", "Assigned"), (S(result["aws-a3@contoso.test"], "Outcome"), S(result["aws-a3@contoso.test"], "Status")));
            Assert.Equal(("Imported", "Retired"), (S(result["aws-a4@contoso.test"], "Outcome"), S(result["aws-a4@contoso.test"], "Status")));
            Assert.Contains("adopted before the import", S(result["aws-a2@contoso.test"], "Reason"));
            Assert.Contains(import.Warning, w => w.Message.Contains("3 aliases were Available"));
            Assert.Equal("aws-a1@contoso.test", S(Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Single(), "Address"));
            Assert.Equal("aws-a2@contoso.test", S(Run("Get-AwsRootAlias -AccountId '000011112222'").EnsureSuccess().Single(), "Address"));
            Assert.Equal("aws-a3@contoso.test", S(Run("Get-AwsRootAlias -RequestedBy bob@contoso.test").EnsureSuccess().Single(), "Address"));
            Assert.Equal("4", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));
            AssertCountersMatch();
            Assert.All(Import().EnsureSuccess().Output, o => Assert.Equal("AlreadyPresent", S(o, "Outcome")));
            Assert.Equal("aws-a1@contoso.test", S(Run("New-AwsRootAlias -RequestedBy x@contoso.test").EnsureSuccess().Single(), "Address"));
        }

        [Fact]
        public void Conflicts_with_the_registry_are_reported_and_left_alone()
        {
            Setup(mailboxes: 1, available: 3);
            var mine = S(Run("New-AwsRootAlias -RequestedBy alice@contoso.test | Register-AwsAccountAlias -AccountId '555566667777'").EnsureSuccess().Single(), "Address");
            var retired = S(Run("New-AwsRootAlias -RequestedBy bob@contoso.test | Remove-AwsRootAlias -Confirm:$false -PassThru").EnsureSuccess().Single(), "Address");
            var free = S(Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Single(), "Address");
            SharedMailbox("AWS Root 01", Box1, "aws-r1@contoso.test");
            Seed(Source,
                R("1", mine, true, "alice@contoso.test", "awsroot-001@contoso.test", "999900001111"),    // the registry binds another account
                R("2", "aws-r1@contoso.test", true, "bob@contoso.test", "AWS Root 01", "555566667777"),   // the account is bound to another alias
                R("3", free, false, null, "AWS Root 01", null),                                          // the registry has it on another mailbox
                R("4", retired, true, "bob@contoso.test", "awsroot-001", null));                          // retired is final
            var before = Snapshot();
            var result = Import().EnsureSuccess().Output;
            Assert.Equal(4, result.Count);
            Assert.All(result, o => Assert.Equal("Conflict", S(o, "Outcome")));
            Assert.Contains("Registered to AWS account 555566667777", S(result[0], "Reason"));
            Assert.Equal("Registered", S(result[0], "Status"));
            Assert.Contains(mine, S(result[1], "Reason"));
            Assert.Contains("awsroot-001@contoso.test", S(result[2], "Reason"));
            Assert.Contains("Retired is final", S(result[3], "Reason"));
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void A_rerun_registers_a_row_that_gained_its_account_and_identical_duplicate_rows_count_once()
        {
            Run("Set-AwsRootPool -Domain $domain").EnsureSuccess();
            SharedMailbox("AWS Root 01", Box1, "aws-g1@contoso.test", "aws-g2@contoso.test");
            Seed(Source,
                R("1", "aws-g1@contoso.test", true, "alice@contoso.test", "AWS Root 01", null),
                R("2", "aws-g2@contoso.test", false, null, "AWS Root 01", null),
                R("3", "aws-g2@contoso.test", "false", null, Box1.ToUpperInvariant(), null));
            var first = Import().EnsureSuccess().Output;
            Assert.Equal(new[] { "Imported", "Imported", "AlreadyPresent" }, first.Select(o => S(o, "Outcome")));
            Assert.Contains("first in row '2'", S(first[2], "Reason"));
            Assert.Equal("Assigned", S(Run("Get-AwsRootAlias -Address aws-g1@contoso.test").EnsureSuccess().Single(), "Status"));
            Assert.Equal("2", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));

            // Meanwhile the reference design registered the account: the next run takes that step too.
            Run(@"$client = [Azure.Data.Tables.TableClient]::new($cs, $source)
                  $e = [Azure.Data.Tables.TableEntity]::new('root', '1'); $e['aws_account_id'] = '000099998888'
                  $null = $client.UpdateEntity[Azure.Data.Tables.TableEntity]($e, [Azure.ETag]::All, [Azure.Data.Tables.TableUpdateMode]::Merge, [System.Threading.CancellationToken]::None)",
                ("source", Source)).EnsureSuccess();
            var second = Import().EnsureSuccess().Output;
            Assert.Equal(new[] { "Imported", "AlreadyPresent", "AlreadyPresent" }, second.Select(o => S(o, "Outcome")));
            Assert.Equal("Registered", S(second[0], "Status"));
            Assert.Equal("aws-g1@contoso.test", S(Run("Get-AwsRootAlias -AccountId '000099998888'").EnsureSuccess().Single(), "Address"));
            Assert.Equal("alice@contoso.test", S(Run("Get-AwsRootAlias -AccountId '000099998888'").EnsureSuccess().Single(), "RequestedBy"));
            Assert.All(Import().EnsureSuccess().Output, o => Assert.Equal("AlreadyPresent", S(o, "Outcome")));
            AssertCountersMatch();
        }

        [Fact]
        public void Bad_parameters_get_RootMail_errors_and_write_nothing()
        {
            SeedRealistic();
            foreach (var (command, id) in new[]
            {
                ("Import-AwsRootRegistry -SourceTableName 'bad name'", "RootMail.InvalidTableName"),
                ("Import-AwsRootRegistry -SourceTableName ''", "RootMail.InvalidTableName"),
                ("Import-AwsRootRegistry -SourceTableName \"x' or PartitionKey ne '\"", "RootMail.InvalidTableName"),
                ("Import-AwsRootRegistry -SourceTableName nosuchtable123", "RootMail.ImportSourceNotFound"),
                ("Import-AwsRootRegistry -SourceTableName $table", "RootMail.ImportSourceIsRegistry"),
                ("Import-AwsRootRegistry -SourceTableName $source -Pool 'a|b'", "RootMail.InvalidPoolName"),
                ("Import-AwsRootRegistry -SourceTableName $source -Pool nosuchpool", "RootMail.PoolNotFound"),
                ("Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString 'garbage'", "RootMail.InvalidConnectionString"),
                ("Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString ''", "RootMail.InvalidConnectionString"),
            })
            {
                var result = Run(command, ("source", Source));
                Assert.Equal(id, ErrorId(result));
                Assert.StartsWith(id + ",RootMail.Commands.ImportAwsRootRegistryCommand", result.Errors[0].FullyQualifiedErrorId);
                Assert.NotEqual(ErrorCategory.NotSpecified, result.Errors[0].CategoryInfo.Category);
                Assert.Empty(result.Output);
            }
            Assert.Empty(Aliases());
            Assert.Empty(Run("Get-AwsRootMailbox").EnsureSuccess().Output);

            using var noExchange = PsHarness.Create(importSimulator: false);
            Connect(noExchange, exchange: false);
            Assert.Equal("RootMail.ExchangeNotConnected", ErrorId(noExchange.Run("Import-AwsRootRegistry -SourceTableName $source", Vars(("source", Source)))));
            Assert.Empty(Aliases());
        }

        [Fact]
        public void A_source_in_another_account_is_read_with_its_connection_string_whose_key_reaches_no_stream()
        {
            SeedRealistic();
            var key = Azurite.AccountKey;
            var text = new System.Text.StringBuilder();
            var result = Run("$DebugPreference = 'Continue'; Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString $cs -Verbose");
            Assert.Empty(result.Errors);
            Assert.Equal(14, result.Output.Count);
            text.Append(result.AllText());
            var wrong = Azurite.ConnectionString.Replace(key, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=");
            var refused = Run("Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString $bad -Verbose", ("bad", wrong));
            Assert.Equal("RootMail.ImportSourceAccessDenied", ErrorId(refused));
            text.Append(refused.AllText());
            text.Append(Run("Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString ($cs + ';garbage=') -Verbose").AllText());
            text.Append(Ps.Render("Import-AwsRootRegistry -SourceTableName $source -SourceConnectionString $cs -WhatIf", Vars(("source", Source))).HostText);
            text.Append(Run("$Error | ForEach-Object { $_ | Out-Default }").AllText());
            text.Append(Ps.HostText);
            var all = text.ToString();
            Assert.Contains("devstoreaccount1", all);
            Assert.DoesNotContain(key, all);
            Assert.DoesNotContain(key.Substring(0, 16), all);
            Assert.DoesNotContain("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", all);
            Assert.DoesNotContain("AccountKey=", all);
        }

        [Fact]
        public void Ctrl_C_stops_between_rows_and_a_second_run_finishes()
        {
            Run("Set-AwsRootPool -Domain $domain").EnsureSuccess();
            var a1 = Enumerable.Range(1, 250).Select(i => $"aws-s{i:000}@contoso.test").ToArray();
            var a2 = Enumerable.Range(251, 250).Select(i => $"aws-s{i:000}@contoso.test").ToArray();
            SharedMailbox("AWS Root 01", Box1, a1);
            SharedMailbox("AWS Root 02", Box2, a2);
            Seed(Source, a1.Concat(a2).Select((a, i) => i % 2 == 0
                ? R($"k{i:000}", a, false, null, i < 250 ? "AWS Root 01" : "AWS Root 02", null)
                : R($"k{i:000}", a, true, $"req{i}@contoso.test", i < 250 ? "AWS Root 01" : "AWS Root 02", (200000000000L + i).ToString())).ToArray());

            var import = Task.Run(() => Import());
            using (var watcher = PsHarness.Create())
            {
                Connect(watcher, exchange: false);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!import.IsCompleted && DateTime.UtcNow < deadline
                       && (int)watcher.Run("@(Get-AwsRootAlias).Count", Vars()).EnsureSuccess().Single().BaseObject < 20)
                    Thread.Sleep(20);
            }
            for (int attempt = 0; ; attempt++)
            {
                // Like Ctrl+C. The engine's PowerShell.Stop() can trip over a pipeline that is just switching commands; try again then.
                try { Ps.Stop(); break; }
                catch (NullReferenceException) when (attempt < 20) { Thread.Sleep(10); }
            }
            var stopped = import.Result;
            Assert.InRange(stopped.Output.Count, 1, 499); // stopped part-way

            // Whatever was written is whole: each alias with its indexes, counted on its mailbox.
            var partial = Aliases();
            Assert.InRange(partial.Count, stopped.Output.Count, stopped.Output.Count + 1);
            AssertCountersMatch();
            Assert.All(partial.Values.Where(a => S(a, "Status") == "Registered"),
                a => Assert.Equal(S(a, "Address"), S(Run("Get-AwsRootAlias -AccountId $id", ("id", S(a, "AccountId"))).EnsureSuccess().Single(), "Address")));
            Assert.Equal(partial.Values.Count(a => S(a, "Status") == "Available"), Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Count);

            var rest = Import().EnsureSuccess();
            Assert.Equal(500, rest.Output.Count);
            Assert.Equal(500 - partial.Count, rest.Output.Count(o => S(o, "Outcome") == "Imported"));
            Assert.Equal(partial.Count, rest.Output.Count(o => S(o, "Outcome") == "AlreadyPresent"));
            Assert.Equal(500, Aliases().Count);
            AssertCountersMatch();
            Assert.Contains(stopped.Progress, p => p.Activity.StartsWith("Importing table"));
        }

        [Fact]
        public void Sync_never_makes_an_unlisted_address_of_an_imported_mailbox_available()
        {
            SeedRealistic();
            Run("Import-AwsRootRegistry -SourceTableName $source | Out-Null", ("source", Source));
            var availableBefore = Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Select(a => S(a, "Address")).OrderBy(a => a).ToList();

            var found = Run("Sync-AwsRootRegistry -Repair").EnsureSuccess().Output;
            var unlisted = found.Single(i => S(i, "Address") == "aws-unlisted@contoso.test");
            Assert.Equal("MissingInRegistry", S(unlisted, "Kind"));
            Assert.Equal("NotRepaired", S(unlisted, "Outcome"));
            Assert.Contains("Import-AwsRootRegistry", S(unlisted, "Detail"));
            Assert.DoesNotContain(found, i => S(i, "Kind") == "MissingInRegistry" && S(i, "Outcome") == "Repaired");
            Assert.Equal(availableBefore, Run("Get-AwsRootAlias -Status Available").EnsureSuccess().Output.Select(a => S(a, "Address")).OrderBy(a => a).ToList());
        }
    }
}
