using System.Linq;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>Connections, secrets, -WhatIf and Exchange resolution: how the module behaves in a user's session.</summary>
    [Collection(RegistryCollection.Name)]
    public class SessionTests : RegistryTestBase
    {
        public SessionTests(AzuriteFixture azurite) : base(azurite) { }

        [Fact]
        public void No_secret_from_the_connection_string_reaches_any_stream()
        {
            var key = Azurite.AccountKey;
            var all = new System.Text.StringBuilder();
            void Check(PsResult r) { all.Append(r.AllText()); all.Append(Ps.HostText); }

            Check(Run("$DebugPreference = 'Continue'; Connect-AwsRootRegistry -ConnectionString $cs -TableName $table -Verbose"));
            Check(Run("Set-AwsRootPool -Domain $domain -Verbose -Debug -PassThru; New-AwsRootMailbox -Verbose -Debug; New-AwsRootAlias -Count 3 -Verbose -Debug"));
            Check(Run("New-AwsRootAlias -RequestedBy a@contoso.test -Verbose -Debug | Register-AwsAccountAlias -AccountId '012345678901' -Verbose -Debug"));
            Check(Run("Get-AwsRootAlias -Verbose; Register-AwsAccountAlias -Address nobody@contoso.test -AccountId 1 -Verbose"));
            // A wrong key: the storage service refuses, and the error must not echo either key.
            var wrong = Azurite.ConnectionString.Replace(key, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=");
            var refused = Run("Connect-AwsRootRegistry -ConnectionString $bad -TableName $table -Verbose", ("bad", wrong));
            Check(refused);
            Assert.Equal("RootMail.RegistryAccessDenied", ErrorId(refused));
            Check(Run("Connect-AwsRootRegistry -ConnectionString ($cs + ';garbage') -TableName $table -Verbose"));
            Check(Run("$Error | ForEach-Object { $_ | Out-Default }"));
            Check(Ps.Render("Connect-AwsRootRegistry -ConnectionString $cs -TableName $table", Vars()));

            var text = all.ToString();
            Assert.Contains("devstoreaccount1", text); // the account name is not a secret, and shows the check read real output
            Assert.DoesNotContain(key, text);
            Assert.DoesNotContain(key.Substring(0, 16), text);
            Assert.DoesNotContain("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", text);
            Assert.DoesNotContain("AccountKey=", text);
        }

        [Fact]
        public void WhatIf_tells_what_would_happen_and_changes_nothing()
        {
            Setup(mailboxes: 1, available: 2);
            var calls = ExchangeCalls();
            var handOut = Ps.Render("New-AwsRootAlias -RequestedBy a@contoso.test -WhatIf", Vars());
            Assert.Empty(handOut.Output);
            Assert.Matches("What if: Performing the operation \"Hand out available alias to a@contoso.test\" on target \"aws-[a-z0-9]{8}@contoso.test\"", handOut.HostText);
            var provision = Ps.Render("New-AwsRootAlias -Count 5 -WhatIf", Vars());
            Assert.Contains("Add 5 new available aliases to mailbox", provision.HostText);
            var mailbox = Ps.Render("New-AwsRootMailbox -WhatIf", Vars());
            Assert.Contains("Create shared mailbox awsroot-002@contoso.test in pool 'default'", mailbox.HostText);
            var pool = Ps.Render("Set-AwsRootPool -MailboxCapacity 100 -WhatIf", Vars());
            Assert.Contains("MailboxCapacity=100", pool.HostText);
            Assert.Equal(calls, ExchangeCalls());
            Assert.All(Aliases().Values, a => Assert.Equal("Available", S(a, "Status")));
            Assert.Single(Run("Get-AwsRootMailbox").EnsureSuccess().Output);
            Assert.Equal("300", S(Run("Get-AwsRootPool").EnsureSuccess().Single(), "MailboxCapacity"));

            var a = S(Run("New-AwsRootAlias -RequestedBy a@contoso.test").EnsureSuccess().Single(), "Address");
            var remove = Ps.Render("Remove-AwsRootAlias -Address $a -RemoveAddress -WhatIf", Vars(("a", a)));
            Assert.Contains("remove the address from mailbox", remove.HostText);
            Assert.Equal("Assigned", S(Run("Get-AwsRootAlias -Address $a", ("a", a)).Single(), "Status"));
        }

        [Fact]
        public void Each_runspace_has_its_own_connection()
        {
            Setup(available: 1);
            using var other = PsHarness.Create();
            var otherTable = TestNames.Table("other");
            other.Run("Connect-AwsRootRegistry -ConnectionString $cs -TableName $t | Out-Null; Set-AwsRootPool -Domain other.test",
                new System.Collections.Hashtable { ["cs"] = Azurite.ConnectionString, ["t"] = otherTable }).EnsureSuccess();
            Assert.Equal("other.test", S(other.Run("Get-AwsRootPool").EnsureSuccess().Single(), "Domain"));
            Assert.Equal(Domain, S(Run("Get-AwsRootPool").EnsureSuccess().Single(), "Domain"));

            Run("Disconnect-AwsRootRegistry").EnsureSuccess();
            var notConnected = Run("Get-AwsRootAlias");
            Assert.Equal("RootMail.RegistryNotConnected", ErrorId(notConnected));
            Assert.Contains("Connect-AwsRootRegistry", notConnected.Errors[0].Exception.Message);
            Assert.Equal("other.test", S(other.Run("Get-AwsRootPool").EnsureSuccess().Single(), "Domain"));
        }

        [Fact]
        public void Missing_exchange_commands_say_to_connect_and_leave_no_reservation()
        {
            Setup(mailboxes: 1);
            using var noExchange = PsHarness.Create(importSimulator: false);
            Connect(noExchange, exchange: false);
            var result = noExchange.Run("New-AwsRootAlias -RequestedBy a@contoso.test", Vars());
            Assert.Equal("RootMail.ExchangeNotConnected", ErrorId(result));
            Assert.Contains("Connect-ExchangeOnline", result.Errors[0].Exception.Message);

            using var notConnected = PsHarness.Create();
            Connect(notConnected, exchange: false); // simulator imported, Connect-ExchangeOnline not run
            Assert.Equal("RootMail.ExchangeNotConnected", ErrorId(notConnected.Run("New-AwsRootAlias -Count 2", Vars())));
            Assert.Empty(Aliases());
            Assert.Equal("0", S(Run("Get-AwsRootMailbox").EnsureSuccess().Single(), "Used"));
        }

        [Fact]
        public void An_address_exchange_reports_as_taken_is_replaced_by_a_fresh_one()
        {
            Setup(mailboxes: 1);
            // Like a Pester Mock: a function in the caller's session shadows the Exchange command. RootMail resolves
            // commands in the session, so it calls this one; the first address it sees is "taken" by another recipient.
            Run(@"$global:refused = $null
                function global:Set-Mailbox {
                    param($Identity, $EmailAddresses, $HiddenFromAddressListsEnabled, $CustomAttribute1, $ForwardingSmtpAddress, $DeliverToMailboxAndForward)
                    if ($EmailAddresses -and -not $global:refused) {
                        $global:refused = @($EmailAddresses.Add)[0]
                        throw ('The proxy address ""' + $global:refused + '"" is already being used by the proxy addresses or LegacyExchangeDN of ""someone"". Please choose another proxy address.')
                    }
                    RootMail.Simulator\Set-Mailbox @PSBoundParameters
                }").EnsureSuccess();
            var alias = Run("New-AwsRootAlias -RequestedBy a@contoso.test -Verbose").EnsureSuccess().Single();
            var refused = Ps.GetVariable("refused")?.ToString() ?? "";
            Assert.StartsWith("smtp:", refused);
            Assert.NotEqual(refused.Substring(5), S(alias, "Address"));
            Assert.Single(Aliases());
            AssertRegistryMatchesExchange();
        }
    }
}
