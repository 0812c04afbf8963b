using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>Every kind of bad input gets a RootMail.* error and changes neither the registry nor Exchange.</summary>
    [Collection(RegistryCollection.Name)]
    public class BadInputTests : RegistryTestBase
    {
        public BadInputTests(AzuriteFixture azurite) : base(azurite) { }

        public static IEnumerable<object[]> Cases() => new[]
        {
            // malformed AWS account IDs; a number expression loses its leading zero: (012345678901) reaches the cmdlet as 12345678901
            new object[] { "Register-AwsAccountAlias -Address $assigned -AccountId (012345678901)", "RootMail.InvalidAccountId" },
            new object[] { "Register-AwsAccountAlias -Address $assigned -AccountId '12345'", "RootMail.InvalidAccountId" },
            new object[] { "Register-AwsAccountAlias -Address $assigned -AccountId '12345678901a'", "RootMail.InvalidAccountId" },
            new object[] { "Register-AwsAccountAlias -Address $assigned -AccountId \"123456789012' or RowKey ne '\"", "RootMail.InvalidAccountId" },
            new object[] { "Register-AwsAccountAlias -Address $assigned -AccountId ''", "RootMail.InvalidAccountId" },
            new object[] { "Remove-AwsRootAlias -AccountId 'abc' -Confirm:$false", "RootMail.InvalidAccountId" },
            new object[] { "Get-AwsRootAlias -AccountId \"' or PartitionKey ne '\"", "RootMail.InvalidAccountId" },
            // e-mail addresses
            new object[] { "New-AwsRootAlias -RequestedBy 'not-an-email'", "RootMail.InvalidEmailAddress" },
            new object[] { "New-AwsRootAlias -RequestedBy \"x@contoso.test' or PartitionKey ne '\"", "RootMail.InvalidEmailAddress" },
            new object[] { "New-AwsRootAlias -RequestedBy ''", "RootMail.InvalidEmailAddress" },
            new object[] { "Get-AwsRootAlias -RequestedBy \"a@b.c' or '1' eq '1\"", "RootMail.InvalidEmailAddress" },
            new object[] { "Set-AwsRootPool -ForwardingAddress 'admins at contoso'", "RootMail.InvalidEmailAddress" },
            new object[] { "New-AwsRootMailbox -PrimarySmtpAddress 'bad@'", "RootMail.InvalidEmailAddress" },
            // alias addresses: over-long, foreign domain, malformed
            new object[] { "Get-AwsRootAlias -Address ('a' * 60 + '@contoso.test')", "RootMail.InvalidAliasAddress" },
            new object[] { "Register-AwsAccountAlias -Address ('a' * 60 + '@contoso.test') -AccountId '012345678901'", "RootMail.InvalidAliasAddress" },
            new object[] { "Register-AwsAccountAlias -Address 'aws-x1y2z3@fabrikam.test' -AccountId '012345678901'", "RootMail.AddressNotInPoolDomain" },
            new object[] { "Remove-AwsRootAlias -Address 'aws-x1y2z3@fabrikam.test' -Confirm:$false", "RootMail.AddressNotInPoolDomain" },
            new object[] { "Get-AwsRootAlias -Address \"a@contoso.test' or 'x' eq 'x\"", "RootMail.InvalidAliasAddress" },
            new object[] { "Register-AwsAccountAlias -Address 'aws-missing1@contoso.test' -AccountId '012345678901'", "RootMail.AliasNotFound" },
            // names
            new object[] { "New-AwsRootAlias -RequestedBy a@contoso.test -AccountName ('x' * 51)", "RootMail.InvalidAccountName" },
            new object[] { "New-AwsRootAlias -RequestedBy a@contoso.test -AccountName \"tab`there\"", "RootMail.InvalidAccountName" },
            new object[] { "New-AwsRootMailbox -Name \"x' or 'a' eq 'a\"", "RootMail.InvalidMailboxName" },
            new object[] { "Get-AwsRootAlias -Mailbox \"x' or 'a' eq 'a\"", "RootMail.InvalidMailboxName" },
            new object[] { "New-AwsRootAlias -Count 1 -Mailbox 'no-such-mailbox'", "RootMail.MailboxNotFound" },
            new object[] { "Set-AwsRootPool -Pool \"default' or ''eq'\" -Domain contoso.test", "RootMail.InvalidPoolName" },
            new object[] { "Get-AwsRootAlias -Pool 'a|b'", "RootMail.InvalidPoolName" },
            new object[] { "Get-AwsRootAlias -Pool 'nosuchpool'", "RootMail.PoolNotFound" },
            new object[] { "Set-AwsRootPool -Domain 'contoso'", "RootMail.InvalidDomain" },
            new object[] { "Set-AwsRootPool -AddressTemplate 'aws-{name}'", "RootMail.InvalidAddressTemplate" },
            new object[] { "Set-AwsRootPool -AddressTemplate \"aws-{random}' or '1\"", "RootMail.InvalidAddressTemplate" },
            new object[] { "Set-AwsRootPool -MailboxNamePrefix 'bad prefix|'", "RootMail.InvalidMailboxNamePrefix" },
            // capacity and counts out of range
            new object[] { "Set-AwsRootPool -MailboxCapacity 401", "RootMail.InvalidCapacity" },
            new object[] { "Set-AwsRootPool -MailboxCapacity 0", "RootMail.InvalidCapacity" },
            new object[] { "New-AwsRootMailbox -Capacity 500", "RootMail.InvalidCapacity" },
            new object[] { "New-AwsRootAlias -Count 0", "RootMail.InvalidCount" },
            new object[] { "New-AwsRootAlias -Count 1000", "RootMail.PoolExhausted" },
            // connection
            new object[] { "Connect-AwsRootRegistry -ConnectionString 'garbage' -TableName $table", "RootMail.InvalidConnectionString" },
            new object[] { "Connect-AwsRootRegistry -UseDevelopmentStorage -TableName 'bad name'", "RootMail.InvalidTableName" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Bad_input_gets_a_RootMail_error_and_writes_nothing(string command, string errorId)
        {
            Setup(mailboxes: 1, capacity: 10, available: 3);
            var assigned = S(Run("New-AwsRootAlias -RequestedBy owner@contoso.test").EnsureSuccess().Single(), "Address");
            var registryBefore = Snapshot();
            var exchangeBefore = ExchangeAddresses();
            var callsBefore = ExchangeStatistics();

            var result = Run(command, ("assigned", assigned));

            Assert.Equal(errorId, ErrorId(result));
            var error = result.Errors.Single();
            Assert.StartsWith(errorId + ",RootMail.Commands.", error.FullyQualifiedErrorId);
            Assert.NotEqual(ErrorCategory.NotSpecified, error.CategoryInfo.Category);
            Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
            Assert.Empty(result.Output);
            Assert.Equal(registryBefore, Snapshot());
            Assert.Equal(exchangeBefore.SelectMany(kv => kv.Value.Select(v => kv.Key + "|" + v)).OrderBy(x => x),
                         ExchangeAddresses().SelectMany(kv => kv.Value.Select(v => kv.Key + "|" + v)).OrderBy(x => x));
            var callsAfter = ExchangeStatistics();
            foreach (var writer in new[] { "NewMailbox", "SetMailbox", "AddMailboxPermission" })
                Assert.Equal(PsResult.Property(callsBefore, writer), PsResult.Property(callsAfter, writer));
        }

        [Fact]
        public void Odata_looking_account_names_are_stored_as_plain_text()
        {
            Setup(available: 1);
            var name = "x' or PartitionKey ne '";
            var alias = Run("New-AwsRootAlias -RequestedBy a@contoso.test -AccountName $n", ("n", name)).EnsureSuccess().Single();
            Assert.Equal(name, S(alias, "AccountName"));
            Assert.Equal(name, S(Run("Get-AwsRootAlias -Address $a", ("a", S(alias, "Address"))).EnsureSuccess().Single(), "AccountName"));
            Assert.Single(Aliases());
        }

        string Snapshot()
        {
            var aliases = Run("Get-AwsRootAlias").EnsureSuccess().Output
                .Select(a => string.Join("|", S(a, "Address"), S(a, "Status"), S(a, "AccountId"), S(a, "RequestedBy"), S(a, "Mailbox"))).OrderBy(x => x);
            var mailboxes = Run("Get-AwsRootMailbox").EnsureSuccess().Output.Select(m => S(m, "PrimarySmtpAddress") + ":" + S(m, "Used") + "/" + S(m, "Capacity"));
            var pools = Run("Get-AwsRootPool").EnsureSuccess().Output
                .Select(p => string.Join("|", S(p, "Name"), S(p, "Domain"), S(p, "AddressTemplate"), S(p, "MailboxCapacity"), S(p, "ForwardingAddress"), S(p, "MailboxNamePrefix")));
            return string.Join("\n", aliases.Concat(mailboxes).Concat(pools));
        }
    }
}
