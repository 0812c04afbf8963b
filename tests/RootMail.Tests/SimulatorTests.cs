using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace RootMail.Tests
{
    /// <summary>
    /// The Exchange Online simulator (out/RootMail.Simulator) as users drive it: imported into fresh runspaces of
    /// the real engine, each test on its own tenant, since tenants are process-wide and tests run in parallel.
    /// </summary>
    public sealed class SimulatorTests
    {
        private const string Domain = "contoso.test";

        private const string TransientText =
            "The server encountered an internal error: an unexpected error occurred while processing the request. Please try again later.";

        private const string ThrottleText =
            "Micro delay applied. Your request was throttled because too many requests were made. Please retry after 2 seconds.";

        private static string NotFoundText(string identity) =>
            $"The operation couldn't be performed because object '{identity}' couldn't be found on 'AM6PR01MB1234.EURPRD01.PROD.OUTLOOK.COM'.";

        private static string InUseText(string proxy, string owner) =>
            $"The proxy address \"{proxy}\" is already being used by the proxy addresses or LegacyExchangeDN of \"{owner}\". Please choose another proxy address.";

        #region Mailboxes and identities

        [Fact]
        public void NewMailbox_GetsDefaultsAndResolvesByEveryIdentityKind()
        {
            using var sim = Sim.Connect(out string org);
            PSObject created = sim.Run("New-Mailbox -Shared -Name 'Root Pool 01' -DisplayName 'Root pool 01' -PrimarySmtpAddress pool01@contoso.test").Single();

            Assert.Equal("Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox", created.TypeNames[0]);
            Assert.Equal("Root Pool 01", Prop(created, "Name"));
            Assert.Equal("Root Pool 01", Prop(created, "Identity"));
            Assert.Equal("RootPool01", Prop(created, "Alias"));
            Assert.Equal("Root pool 01", Prop(created, "DisplayName"));
            Assert.Equal("pool01@contoso.test", Assert.IsType<string>(Prop(created, "PrimarySmtpAddress")));
            Assert.Equal("SharedMailbox", Prop(created, "RecipientTypeDetails"));
            Assert.Equal("UserMailbox", Prop(created, "RecipientType"));
            Assert.Equal(new[] { "SMTP:pool01@contoso.test", $"smtp:RootPool01@{org}" }, Assert.IsType<string[]>(Prop(created, "EmailAddresses")));
            Assert.Equal(false, Prop(created, "HiddenFromAddressListsEnabled"));
            var guid = Assert.IsType<Guid>(Prop(created, "Guid"));
            var external = (string)Prop(created, "ExternalDirectoryObjectId")!;
            Assert.NotEqual(guid.ToString(), external);

            sim.Run("Set-Mailbox -Identity RootPool01 -EmailAddresses @{Add='smtp:alias-1@contoso.test'}").EnsureSuccess();

            string[] identities =
            {
                "Root Pool 01", "root pool 01", "RootPool01", "ROOTPOOL01", "pool01@contoso.test", "POOL01@Contoso.Test",
                "smtp:pool01@contoso.test", "SMTP:pool01@contoso.test", $"rootpool01@{org}", "alias-1@contoso.test",
                "smtp:ALIAS-1@contoso.test", guid.ToString(), guid.ToString().ToUpperInvariant(), external,
            };
            foreach (string identity in identities)
            {
                var vars = new Dictionary<string, object?> { ["id"] = identity };
                PSObject mailbox = sim.Run("Get-Mailbox -Identity $id", vars).Single();
                Assert.Equal(guid, Prop(mailbox, "Guid"));
                PSObject recipient = sim.Run("Get-Recipient -Identity $id", vars).Single();
                Assert.Equal("Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient", recipient.TypeNames[0]);
                Assert.Equal(guid, Prop(recipient, "Guid"));
            }

            // An empty or absent identity returns every mailbox, as Exchange does.
            sim.Run("New-Mailbox -Shared -Name 'Root Pool 02' | Out-Null").EnsureSuccess();
            Assert.Equal(2, sim.Run("Get-Mailbox").Output.Count);
            Assert.Equal(2, sim.Run("Get-Mailbox -Identity ''").Output.Count);
            Assert.Equal(2, sim.Run("Get-Recipient").Output.Count);
            Assert.Equal($"RootPool02@{org}", Prop(sim.Run("Get-Mailbox 'Root Pool 02'").Single(), "PrimarySmtpAddress"));
        }

        [Fact]
        public void GetMailbox_UnknownIdentity_IsNonTerminatingNotFound()
        {
            using var sim = Sim.Connect(out _);
            var result = sim.Run("Get-Mailbox -Identity nobody@contoso.test; 'continued'");

            Assert.Equal("continued", result.Output.Single().BaseObject);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal(NotFoundText("nobody@contoso.test"), error.Exception.Message);
            Assert.Equal("ManagementObjectNotFoundException", error.Exception.GetType().Name);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.StartsWith("ManagementObjectNotFoundException,", error.FullyQualifiedErrorId);
            Assert.Equal("Get-Mailbox", error.CategoryInfo.Activity);

            var stopped = sim.Run("try { Set-Mailbox -Identity ghost -HiddenFromAddressListsEnabled $true -ErrorAction Stop; 'not here' } catch { $_.Exception.Message }");
            Assert.Equal(NotFoundText("ghost"), stopped.Output.Single().BaseObject);
            Assert.Single(sim.Run("Get-Recipient -Identity ghost@contoso.test").Errors);
        }

        [Fact]
        public void NewMailbox_ValidatesLikeExchange()
        {
            using var sim = Sim.Connect(out string org);
            sim.Run("New-Mailbox -Shared -Name 'Pool A' -PrimarySmtpAddress a@contoso.test | Out-Null").EnsureSuccess();

            Assert.Equal("The name \"pool a\" is already being used. Please try another name.",
                sim.Run("New-Mailbox -Shared -Name 'pool a' -PrimarySmtpAddress other@contoso.test").Errors.Single().Exception.Message);
            Assert.Equal(InUseText("SMTP:A@contoso.test", "Pool A"),
                sim.Run("New-Mailbox -Shared -Name 'Pool B' -PrimarySmtpAddress A@contoso.test").Errors.Single().Exception.Message);
            Assert.Equal("The domain \"elsewhere.test\" of the proxy address \"SMTP:b@elsewhere.test\" isn't an accepted domain in this organization.",
                sim.Run("New-Mailbox -Shared -Name 'Pool B' -PrimarySmtpAddress b@elsewhere.test").Errors.Single().Exception.Message);
            Assert.Contains("only simulates shared mailboxes",
                sim.Run("New-Mailbox -Name 'Pool B'").Errors.Single().Exception.Message);
            Assert.Equal("The length of the property is too long. The maximum length is 64 and the length of the value provided is 65.",
                sim.Run("New-Mailbox -Shared -Name ('n' * 65)").Errors.Single().Exception.Message);

            // The default primary is <alias>@<organization>; the alias keeps letters, digits and .-_ only.
            PSObject b = sim.Run("New-Mailbox -Shared -Name 'Pool #B (test).x'").Single();
            Assert.Equal("PoolBtest.x", Prop(b, "Alias"));
            Assert.Equal($"PoolBtest.x@{org}", Prop(b, "PrimarySmtpAddress"));
            Assert.Equal(new[] { $"SMTP:PoolBtest.x@{org}" }, (string[])Prop(b, "EmailAddresses")!);

            // -WhatIf creates nothing.
            sim.Run("New-Mailbox -Shared -Name 'Pool C' -WhatIf").EnsureSuccess();
            Assert.Single(sim.Run("Get-Mailbox 'Pool C'").Errors);
            Assert.Equal(2, sim.Run("Get-Mailbox").Output.Count);
        }

        [Fact]
        public void Outputs_AreSnapshots()
        {
            using var sim = Sim.Connect(out _);
            var result = sim.Run(@"
                $before = New-Mailbox -Shared -Name Snap -PrimarySmtpAddress snap@contoso.test
                Set-Mailbox Snap -EmailAddresses @{Add='smtp:snap2@contoso.test'} -HiddenFromAddressListsEnabled $true
                $after = Get-Mailbox Snap
                $before.EmailAddresses.Count; $before.HiddenFromAddressListsEnabled
                $after.EmailAddresses.Count; $after.HiddenFromAddressListsEnabled
                $after.EmailAddresses[0] = 'SMTP:tampered@contoso.test'
                (Get-Mailbox Snap).PrimarySmtpAddress").EnsureSuccess();

            Assert.Equal(new object[] { 2, false, 3, true, "snap@contoso.test" }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        #endregion

        #region Proxy addresses

        [Fact]
        public void ProxyAddress_IsUniqueAcrossTheTenant()
        {
            using var sim = Sim.Connect(out _);
            sim.Run(@"
                New-Mailbox -Shared -Name 'Pool 1' -PrimarySmtpAddress p1@contoso.test | Out-Null
                New-Mailbox -Shared -Name 'Pool 2' -PrimarySmtpAddress p2@contoso.test | Out-Null
                Set-Mailbox 'Pool 1' -EmailAddresses @{Add='smtp:acct-0001@contoso.test'}").EnsureSuccess();

            var result = sim.Run("Set-Mailbox 'Pool 2' -EmailAddresses @{Add='smtp:ACCT-0001@contoso.test'}");
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal(InUseText("smtp:ACCT-0001@contoso.test", "Pool 1"), error.Exception.Message);
            Assert.Equal("ProxyAddressExistsException", error.Exception.GetType().Name);
            Assert.StartsWith("ProxyAddressExistsException,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);

            // The primary of another mailbox is taken too, and a plain list replacing everything is checked the same way.
            Assert.Equal(InUseText("smtp:p1@contoso.test", "Pool 1"),
                sim.Run("Set-Mailbox 'Pool 2' -EmailAddresses @{Add='p1@contoso.test'}").Errors.Single().Exception.Message);
            Assert.Equal(InUseText("smtp:p1@contoso.test", "Pool 1"),
                sim.Run("Set-Mailbox 'Pool 2' -EmailAddresses 'SMTP:p2@contoso.test','smtp:p1@contoso.test'").Errors.Single().Exception.Message);

            // Once removed from Pool 1, the address is free (no quarantine in the simulator).
            sim.Run(@"
                Set-Mailbox 'Pool 1' -EmailAddresses @{Remove='smtp:acct-0001@contoso.test'}
                Set-Mailbox 'Pool 2' -EmailAddresses @{Add='smtp:acct-0001@contoso.test'}").EnsureSuccess();
            Assert.Equal("Pool 2", Prop(sim.Run("Get-Recipient acct-0001@contoso.test").Single(), "Name"));
        }

        [Fact]
        public void SetMailbox_IsAtomic()
        {
            using var sim = Sim.Connect(out _);
            sim.Run(@"
                New-Mailbox -Shared -Name Holder -PrimarySmtpAddress holder@contoso.test | Out-Null
                New-Mailbox -Shared -Name Target -PrimarySmtpAddress target@contoso.test | Out-Null
                Set-Mailbox Holder -EmailAddresses @{Add='smtp:taken@contoso.test'}
                Get-ExoSimulatorStatistic -Reset | Out-Null").EnsureSuccess();

            var result = sim.Run(@"Set-Mailbox Target -EmailAddresses @{Add='smtp:n1@contoso.test','smtp:n2@contoso.test','smtp:taken@contoso.test','smtp:n3@contoso.test','smtp:n4@contoso.test'}");
            Assert.Equal(InUseText("smtp:taken@contoso.test", "Holder"), result.Errors.Single().Exception.Message);

            // Other bad input in the same call changes nothing either (forwarding, custom attributes, domains).
            Assert.Single(sim.Run("Set-Mailbox Target -EmailAddresses @{Add='smtp:n5@contoso.test'} -ForwardingAddress nobody -CustomAttribute1 x").Errors);
            Assert.Single(sim.Run("Set-Mailbox Target -EmailAddresses @{Add='smtp:n6@contoso.test','smtp:n7@not-accepted.test'}").Errors);
            Assert.Single(sim.Run("Set-Mailbox Target -EmailAddresses @{Add='smtp:n8@contoso.test','smtp:not an address'}").Errors);

            PSObject target = sim.Run("Get-Mailbox Target").Single();
            Assert.Equal(2, ((string[])Prop(target, "EmailAddresses")!).Length);
            Assert.Equal(string.Empty, Prop(target, "CustomAttribute1"));
            Assert.Empty(sim.Run("Get-Recipient -Filter \"EmailAddresses -eq 'smtp:n1@contoso.test'\"").Output);
            PSObject stats = sim.Run("Get-ExoSimulatorStatistic").Single();
            Assert.Equal(0, Prop(stats, "AddressesAdded"));
            Assert.Equal(4, Prop(stats, "Failed"));
        }

        [Fact]
        public void SetMailbox_EmailAddressesFollowExchangeRules()
        {
            using var sim = Sim.Connect(out string org);
            sim.Run("New-Mailbox -Shared -Name Rules -Alias rules -PrimarySmtpAddress rules@contoso.test | Out-Null").EnsureSuccess();
            string[] Addresses() => (string[])Prop(sim.Run("Get-Mailbox rules").Single(), "EmailAddresses")!;

            // Keys are case-insensitive, values may be object[]; no prefix in Add is a secondary SMTP address;
            // adding what is there already and removing what is not are silent no-ops.
            sim.Run(@"
                Set-Mailbox rules -EmailAddresses @{add=[object[]]('smtp:a@contoso.test', 'b@contoso.test')}
                Set-Mailbox rules -EmailAddresses @{ADD='smtp:A@contoso.test'; Remove='smtp:never-there@contoso.test'}
                Set-Mailbox rules -EmailAddresses @{Add='rules@contoso.test'}").EnsureSuccess();
            Assert.Equal(new[] { "SMTP:rules@contoso.test", $"smtp:rules@{org}", "smtp:a@contoso.test", "smtp:b@contoso.test" }, Addresses());

            // SMTP: in Add makes the address primary; the old primary stays as a secondary.
            sim.Run("Set-Mailbox rules -EmailAddresses @{Add='SMTP:b@contoso.test'}").EnsureSuccess();
            Assert.Equal("SMTP:b@contoso.test", Addresses()[0]);
            Assert.Contains("smtp:rules@contoso.test", Addresses());
            Assert.Equal(4, Addresses().Length);

            // The primary can't be removed; only one primary per call.
            Assert.Equal("The primary SMTP address \"b@contoso.test\" of \"Rules\" can't be removed. Make another address the primary SMTP address first.",
                sim.Run("Set-Mailbox rules -EmailAddresses @{Remove='smtp:b@contoso.test'}").Errors.Single().Exception.Message);
            Assert.Equal("There are multiple primary SMTP addresses. Please ensure there is only one primary address for each address type.",
                sim.Run("Set-Mailbox rules -EmailAddresses @{Add='SMTP:x@contoso.test','SMTP:y@contoso.test'}").Errors.Single().Exception.Message);
            Assert.Equal("The e-mail address \"bad@@contoso.test\" isn't correct. Please use this format: user name, the @ sign, followed by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com.",
                sim.Run("Set-Mailbox rules -EmailAddresses @{Add='smtp:bad@@contoso.test'}").Errors.Single().Exception.Message);

            // A plain list replaces everything: the SMTP: entry, or else the first one, is the primary.
            sim.Run("Set-Mailbox rules -EmailAddresses 'smtp:c@contoso.test','SMTP:d@contoso.test'").EnsureSuccess();
            Assert.Equal(new[] { "SMTP:d@contoso.test", "smtp:c@contoso.test" }, Addresses());
            sim.Run("Set-Mailbox rules -EmailAddresses 'e@contoso.test','f@contoso.test'").EnsureSuccess();
            Assert.Equal(new[] { "SMTP:e@contoso.test", "smtp:f@contoso.test" }, Addresses());

            // Removed addresses are free again at once.
            Assert.Empty(sim.Run("Get-Recipient -Filter \"EmailAddresses -eq 'smtp:a@contoso.test'\"").Output);
            PSObject stats = sim.Run("Get-ExoSimulatorStatistic").Single();
            Assert.Equal(6, Prop(stats, "AddressesAdded"));      // a, b; c, d; e, f (a promotion adds nothing)
            Assert.Equal(6, Prop(stats, "AddressesRemoved"));    // the four before c, d; then c, d
        }

        [Fact]
        public void SetMailbox_Enforces400ProxyAddresses()
        {
            using var sim = Sim.Connect(out _);
            sim.Run("New-Mailbox -Shared -Name Big -PrimarySmtpAddress big@contoso.test | Out-Null").EnsureSuccess();

            // primary + onmicrosoft address + 398 = 400: allowed in one call.
            sim.Run("Set-Mailbox Big -EmailAddresses @{Add=(1..398 | ForEach-Object { \"smtp:a$_@contoso.test\" })}").EnsureSuccess();
            Assert.Equal(400, ((string[])Prop(sim.Run("Get-Mailbox Big").Single(), "EmailAddresses")!).Length);

            var result = sim.Run("Set-Mailbox Big -EmailAddresses @{Add='smtp:one-more@contoso.test','smtp:two-more@contoso.test'}");
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("The number of proxy addresses for \"Big\" would be 402; the maximum supported number of recipient proxy addresses is 400.",
                error.Exception.Message);
            Assert.Equal("ProxyAddressLimitExceededException", error.Exception.GetType().Name);
            Assert.Equal(400, ((string[])Prop(sim.Run("Get-Mailbox Big").Single(), "EmailAddresses")!).Length);

            // Swapping one address for another in one call stays at 400.
            sim.Run("Set-Mailbox Big -EmailAddresses @{Add='smtp:one-more@contoso.test'; Remove='smtp:a1@contoso.test'}").EnsureSuccess();
            Assert.Equal("Big", Prop(sim.Run("Get-Recipient one-more@contoso.test").Single(), "Name"));
        }

        [Fact]
        public void SetMailbox_OtherProperties()
        {
            using var sim = Sim.Connect(out _);
            sim.Run(@"
                New-Mailbox -Shared -Name Main -PrimarySmtpAddress main@contoso.test | Out-Null
                New-Mailbox -Shared -Name Pool -PrimarySmtpAddress pool@contoso.test | Out-Null
                Set-Mailbox Pool -ForwardingAddress main@contoso.test -DeliverToMailboxAndForward $true -HiddenFromAddressListsEnabled $true -CustomAttribute1 'RootMail:default' -CustomAttribute15 'x'
                Set-Mailbox Main -ForwardingSmtpAddress 'smtp:outside@example.org' -WhatIf").EnsureSuccess();

            PSObject pool = sim.Run("Get-Mailbox Pool").Single();
            Assert.Equal("Main", Prop(pool, "ForwardingAddress"));
            Assert.Equal(true, Prop(pool, "DeliverToMailboxAndForward"));
            Assert.Equal(true, Prop(pool, "HiddenFromAddressListsEnabled"));
            Assert.Equal("RootMail:default", Prop(pool, "CustomAttribute1"));
            Assert.Equal("x", Prop(pool, "CustomAttribute15"));
            Assert.Null(Prop(sim.Run("Get-Mailbox Main").Single(), "ForwardingSmtpAddress")); // -WhatIf changed nothing

            sim.Run("Set-Mailbox Main -ForwardingSmtpAddress outside@example.org").EnsureSuccess();
            Assert.Equal("smtp:outside@example.org", Prop(sim.Run("Get-Mailbox Main").Single(), "ForwardingSmtpAddress"));
            Assert.Equal("Pool", Prop(sim.Run("Get-Mailbox -Filter \"CustomAttribute1 -eq 'RootMail:default'\"").Single(), "Name"));

            Assert.Equal(NotFoundText("ghost@contoso.test"),
                sim.Run("Set-Mailbox Pool -ForwardingAddress ghost@contoso.test").Errors.Single().Exception.Message);
            Assert.Equal("The length of the property is too long. The maximum length is 1024 and the length of the value provided is 1025.",
                sim.Run("Set-Mailbox Pool -CustomAttribute2 ('x' * 1025)").Errors.Single().Exception.Message);

            PSObject permission = sim.Run("Add-MailboxPermission -Identity pool@contoso.test -User admins@contoso.test -AccessRights FullAccess -AutoMapping $false").Single();
            Assert.Equal("Pool", Prop(permission, "Identity"));
            Assert.Equal("admins@contoso.test", Prop(permission, "User"));
            Assert.Equal(new[] { "FullAccess" }, (string[])Prop(permission, "AccessRights")!);
            Assert.Equal(false, Prop(permission, "IsInherited"));
            Assert.Equal(false, Prop(permission, "Deny"));
            Assert.Equal("admins@contoso.test", Prop(sim.Run("Get-MailboxPermission Pool").Single(), "User"));
        }

        #endregion

        #region Get-Recipient filters

        [Fact]
        public void GetRecipient_FilterForms()
        {
            using var sim = Sim.Connect(out _);
            sim.Run(@"
                New-Mailbox -Shared -Name Owner -PrimarySmtpAddress owner@contoso.test | Out-Null
                New-Mailbox -Shared -Name Other -PrimarySmtpAddress other@contoso.test | Out-Null
                Set-Mailbox Owner -EmailAddresses @{Add='smtp:acct-42@contoso.test'}").EnsureSuccess();

            string[] filters =
            {
                "EmailAddresses -eq 'smtp:acct-42@contoso.test'",
                "EmailAddresses -eq 'SMTP:acct-42@contoso.test'",
                "EmailAddresses -eq 'acct-42@contoso.test'",
                "EmailAddresses -eq \"smtp:ACCT-42@Contoso.Test\"",
                "EmailAddresses -eq 'smtp:owner@contoso.test'",
                "  emailaddresses  -EQ  'smtp:acct-42@contoso.test'  ",
                "(EmailAddresses -eq 'smtp:acct-42@contoso.test') -and (RecipientTypeDetails -eq 'SharedMailbox')",
                "EmailAddresses -like 'smtp:acct-*'",
            };
            foreach (string filter in filters)
            {
                var result = sim.Run("Get-Recipient -Filter $f", new Dictionary<string, object?> { ["f"] = filter }).EnsureSuccess();
                Assert.Equal("Owner", Prop(result.Single(), "Name"));
            }

            Assert.Empty(sim.Run("Get-Recipient -Filter \"EmailAddresses -eq 'smtp:nobody@contoso.test'\"").EnsureSuccess().Output);
            Assert.Equal(2, sim.Run("Get-Recipient -Filter \"EmailAddresses -like '*@contoso.test'\"").Output.Count);

            foreach (string bad in new[] { "EmailAddresses -gt 'x'", "EmailAddresses -eq", "EmailAddresses -eq 'unterminated", "Nonsense -eq 'x'", "(EmailAddresses -eq 'x'" })
            {
                ErrorRecord error = sim.Run("Get-Recipient -Filter $f", new Dictionary<string, object?> { ["f"] = bad }).Errors.Single();
                Assert.StartsWith("Invalid filter syntax", error.Exception.Message);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            }
        }

        #endregion

        #region Connection and tenants

        [Fact]
        public void NotConnected_IsATerminatingError()
        {
            using var sim = Sim.Open();
            const string script = "try { Get-Mailbox -Identity x; 'continued' } catch { $_.Exception.Message; $_.FullyQualifiedErrorId }";
            var result = sim.Run(script);
            Assert.Equal("You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.", result.Output[0].BaseObject);
            Assert.Equal(2, result.Output.Count);

            foreach (string command in new[] { "New-Mailbox -Shared -Name x", "Set-Mailbox x -HiddenFromAddressListsEnabled $true", "Get-Recipient x", "Add-MailboxPermission x -User u -AccessRights FullAccess", "Get-ExoSimulatorStatistic", "Reset-ExoSimulator", "Set-ExoSimulatorFault -Clear" })
            {
                var r = sim.Run($"try {{ {command}; 'continued' }} catch {{ $_.Exception.Message }}");
                Assert.Equal("You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.", r.Output.Single().BaseObject);
            }

            string org = UniqueOrganization();
            sim.Run($"Connect-ExchangeOnline -Organization {org} -AcceptedDomain {Domain} -ShowBanner:$false").EnsureSuccess();
            Assert.Empty(sim.Run("Get-Mailbox").EnsureSuccess().Output);
            sim.Run("Disconnect-ExchangeOnline -Confirm:$false").EnsureSuccess();
            Assert.Equal("You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.", sim.Run(script).Output[0].BaseObject);
        }

        [Fact]
        public void Connect_AcceptsTheRealModulesParameters()
        {
            using var sim = Sim.Open();
            string org = UniqueOrganization();
            sim.Run($@"
                Connect-ExchangeOnline -ManagedIdentity -Organization {org} -ShowBanner:$false -SkipLoadingFormatData -CommandName Get-Mailbox,Set-Mailbox
                Connect-ExchangeOnline -AppId 00000000-0000-0000-0000-000000000000 -CertificateThumbprint ABCDEF -Organization {org} -ShowBanner:$false
                Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId 11111111-1111-1111-1111-111111111111 -Organization {org}
                Connect-ExchangeOnline -UserPrincipalName admin@{org} -Organization {org} -AcceptedDomain extra.test -DelegatedOrganization x.onmicrosoft.com
                Connect-ExchangeOnline -AccessToken 'token' -Organization {org} -Device").EnsureSuccess();
            Assert.Empty(sim.Run("Connect-ExchangeOnline -Organization " + org).Output);

            // Accepted domains: the organization plus every -AcceptedDomain, kept across connections.
            sim.Run("New-Mailbox -Shared -Name X -PrimarySmtpAddress x@extra.test | Out-Null").EnsureSuccess();
            Assert.Single(sim.Run("New-Mailbox -Shared -Name Y -PrimarySmtpAddress y@contoso.test").Errors);
        }

        [Fact]
        public void Runspaces_ConnectedToOneTenant_ShareIt()
        {
            using var first = Sim.Connect(out string org);
            using var second = Sim.Open();
            second.Run($"Connect-ExchangeOnline -Organization {org.ToUpperInvariant()}").EnsureSuccess();
            using var elsewhere = Sim.Connect(out _);

            first.Run("New-Mailbox -Shared -Name Shared1 -PrimarySmtpAddress shared1@contoso.test | Out-Null").EnsureSuccess();
            second.Run("Set-Mailbox Shared1 -EmailAddresses @{Add='smtp:from-second@contoso.test'}").EnsureSuccess();
            Assert.Contains("smtp:from-second@contoso.test", (string[])Prop(first.Run("Get-Mailbox Shared1").Single(), "EmailAddresses")!);
            Assert.Single(elsewhere.Run("Get-Mailbox Shared1").Errors);

            // Statistics are per tenant: both runspaces' calls count.
            PSObject stats = first.Run("Get-ExoSimulatorStatistic").Single();
            Assert.Equal(1, Prop(stats, "SetMailbox"));
            Assert.Equal(1, Prop(stats, "NewMailbox"));
            Assert.Equal(org, Prop(stats, "Tenant"));

            // Reset empties the tenant for everyone and keeps the accepted domains.
            second.Run("Reset-ExoSimulator").EnsureSuccess();
            Assert.Empty(first.Run("Get-Mailbox").Output);
            Assert.Equal(1, Prop(first.Run("Get-ExoSimulatorStatistic").Single(), "Total")); // the Get-Mailbox just above
            first.Run("New-Mailbox -Shared -Name Shared1 -PrimarySmtpAddress shared1@contoso.test | Out-Null").EnsureSuccess();
        }

        [Fact]
        public void EightRunspaces_Concurrently_LoseNothing()
        {
            const int runspaces = 8;
            const int perRunspace = 40;
            string org = UniqueOrganization();
            var sims = Enumerable.Range(0, runspaces).AsParallel().Select(_ => Sim.Open()).ToList();
            try
            {
                foreach (Sim s in sims)
                {
                    s.Run($"Connect-ExchangeOnline -Organization {org} -AcceptedDomain {Domain}").EnsureSuccess();
                }

                sims[0].Run("New-Mailbox -Shared -Name Hot -PrimarySmtpAddress hot@contoso.test | Out-Null").EnsureSuccess();

                // Each runspace adds its own addresses one call at a time, reads in between and races for one name.
                var results = RunConcurrently(sims, i => $@"
                    foreach ($n in 1..{perRunspace}) {{
                        Set-Mailbox -Identity Hot -EmailAddresses @{{Add=""smtp:r{i}-$n@contoso.test""}} -ErrorAction Stop
                        if ($n % 10 -eq 0) {{ $null = Get-Recipient -Filter ""EmailAddresses -eq 'smtp:r{i}-$n@contoso.test'"" -ErrorAction Stop }}
                    }}
                    New-Mailbox -Shared -Name Race -PrimarySmtpAddress race{i}@contoso.test | Out-Null");
                foreach (SimResult r in results)
                {
                    Assert.True(r.Errors.All(e => e.Exception.Message.Contains("already being used")), string.Join(Environment.NewLine, r.Errors));
                }

                Assert.Equal(runspaces - 1, results.Sum(r => r.Errors.Count));
                string[] addresses = (string[])Prop(sims[3].Run("Get-Mailbox Hot").Single(), "EmailAddresses")!;
                Assert.Equal(2 + runspaces * perRunspace, addresses.Length);
                Assert.Equal(addresses.Length, addresses.Distinct(StringComparer.OrdinalIgnoreCase).Count());
                Assert.Single(sims[5].Run("Get-Mailbox Race").Output);

                PSObject stats = sims[7].Run("Get-ExoSimulatorStatistic").Single();
                Assert.Equal(runspaces * perRunspace, Prop(stats, "SetMailbox"));
                Assert.Equal(runspaces * perRunspace, Prop(stats, "AddressesAdded"));
                Assert.Equal(runspaces * perRunspace / 10, Prop(stats, "GetRecipient"));
                Assert.Equal(runspaces + 1, Prop(stats, "NewMailbox"));
                Assert.Equal(runspaces - 1, Prop(stats, "Failed"));
            }
            finally
            {
                sims.ForEach(s => s.Dispose());
            }
        }

        #endregion

        #region Statistics and faults

        [Fact]
        public void Statistics_CountEveryCall()
        {
            using var sim = Sim.Connect(out string org);
            sim.Run(@"
                'S1','S2','S3' | ForEach-Object { New-Mailbox -Shared -Name $_ } | Out-Null
                Get-Mailbox | Set-Mailbox -HiddenFromAddressListsEnabled $true
                'S1','S2' | Get-Mailbox | Out-Null
                Get-Recipient S1 | Out-Null
                Add-MailboxPermission S1 -User someone -AccessRights FullAccess | Out-Null
                Get-Mailbox missing -ErrorAction SilentlyContinue
                Set-Mailbox S1 -EmailAddresses @{Add='smtp:s1-a@contoso.test','smtp:s1-b@contoso.test'}
                Set-Mailbox S1 -EmailAddresses @{Remove='smtp:s1-a@contoso.test'}").EnsureSuccess();

            var result = sim.Run("Get-ExoSimulatorStatistic -Reset; Get-ExoSimulatorStatistic");
            PSObject stats = result.Output[0];
            Assert.Equal("RootMail.Simulator.ExoSimulatorStatistic", stats.BaseObject.GetType().FullName);
            Assert.Equal(org, Prop(stats, "Tenant"));
            Assert.Equal(3, Prop(stats, "NewMailbox"));
            Assert.Equal(4, Prop(stats, "GetMailbox"));      // 1 (all) + 2 (pipeline input) + 1 (missing)
            Assert.Equal(5, Prop(stats, "SetMailbox"));      // 3 (pipeline input) + 2
            Assert.Equal(1, Prop(stats, "GetRecipient"));
            Assert.Equal(1, Prop(stats, "AddMailboxPermission"));
            Assert.Equal(14, Prop(stats, "Total"));
            Assert.Equal(1, Prop(stats, "Failed"));
            Assert.Equal(2, Prop(stats, "AddressesAdded"));
            Assert.Equal(1, Prop(stats, "AddressesRemoved"));

            PSObject zeroed = result.Output[1];
            foreach (string name in new[] { "GetMailbox", "NewMailbox", "SetMailbox", "GetRecipient", "AddMailboxPermission", "Total", "Failed", "AddressesAdded", "AddressesRemoved" })
            {
                Assert.Equal(0, Prop(zeroed, name));
            }
        }

        [Fact]
        public void Fault_FailOnCall_FailsThoseCallsBeforeApplying()
        {
            using var sim = Sim.Connect(out _);
            sim.Run("New-Mailbox -Shared -Name F -PrimarySmtpAddress f@contoso.test | Out-Null; Set-ExoSimulatorFault -FailOnCall 2,4").EnsureSuccess();

            var outcomes = new List<string>();
            for (int n = 1; n <= 5; n++)
            {
                var r = sim.Run($"Set-Mailbox F -EmailAddresses @{{Add='smtp:f{n}@contoso.test'}}");
                outcomes.Add(r.Errors.Count == 0 ? "ok" : r.Errors.Single().Exception.Message);
            }

            Assert.Equal(new[] { "ok", TransientText, "ok", TransientText, "ok" }, outcomes);
            string[] addresses = (string[])Prop(sim.Run("Get-Mailbox F").Single(), "EmailAddresses")!;
            Assert.Contains("smtp:f1@contoso.test", addresses);
            Assert.DoesNotContain("smtp:f2@contoso.test", addresses);
            Assert.DoesNotContain("smtp:f4@contoso.test", addresses);
            Assert.Equal(2, Prop(sim.Run("Get-ExoSimulatorStatistic").Single(), "Failed"));

            ErrorRecord error = sim.Run("Set-ExoSimulatorFault -FailOnCall 1; Get-Mailbox F").Errors.Single();
            Assert.Equal("TransientServerException", error.Exception.GetType().Name);
            sim.Run("Set-ExoSimulatorFault -Clear").EnsureSuccess();
            sim.Run("Get-Mailbox F").EnsureSuccess();
        }

        [Fact]
        public void Fault_FailAfterApply_AppliesThenReportsTheError()
        {
            using var sim = Sim.Connect(out _);
            sim.Run("Set-ExoSimulatorFault -FailAfterApplyRate 1 -Command New-Mailbox, Set-Mailbox").EnsureSuccess();

            var created = sim.Run("New-Mailbox -Shared -Name Timeout -PrimarySmtpAddress timeout@contoso.test");
            Assert.Empty(created.Output);
            Assert.Equal(TransientText, created.Errors.Single().Exception.Message);
            Assert.Single(sim.Run("Get-Mailbox Timeout").EnsureSuccess().Output); // Get-Mailbox is not in -Command

            var set = sim.Run("Set-Mailbox Timeout -EmailAddresses @{Add='smtp:applied@contoso.test'}");
            Assert.Equal(TransientText, set.Errors.Single().Exception.Message);
            Assert.Equal("Timeout", Prop(sim.Run("Get-Recipient applied@contoso.test").Single(), "Name"));

            // The retry a caller makes is a no-op for Set-Mailbox, an error for New-Mailbox (the name exists).
            sim.Run("Set-ExoSimulatorFault -Clear; Set-Mailbox Timeout -EmailAddresses @{Add='smtp:applied@contoso.test'}").EnsureSuccess();
            Assert.Contains("already being used", sim.Run("New-Mailbox -Shared -Name Timeout -PrimarySmtpAddress timeout@contoso.test").Errors.Single().Exception.Message);

            PSObject stats = sim.Run("Get-ExoSimulatorStatistic").Single();
            Assert.Equal(3, Prop(stats, "Failed"));
            Assert.Equal(1, Prop(stats, "AddressesAdded"));
        }

        [Fact]
        public void Fault_ThrottleAndSeededRandomness()
        {
            using var sim = Sim.Connect(out _);
            sim.Run("New-Mailbox -Shared -Name R -PrimarySmtpAddress r@contoso.test | Out-Null").EnsureSuccess();

            ErrorRecord throttled = sim.Run("Set-ExoSimulatorFault -ThrottleRate 1; Get-Recipient R").Errors.Single();
            Assert.Equal(ThrottleText, throttled.Exception.Message);
            Assert.Equal("ThrottlingException", throttled.Exception.GetType().Name);

            string Pattern(int seed)
            {
                sim.Run($"Set-ExoSimulatorFault -FailureRate 0.3 -ThrottleRate 0.3 -Seed {seed}").EnsureSuccess();
                var calls = sim.Run("1..40 | ForEach-Object { Get-Mailbox R -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null; if ($e) { if ($e[0].Exception.Message -like 'Micro*') { 'T' } else { 'F' } } else { '.' } }");
                return string.Concat(calls.Output.Select(o => (string)o.BaseObject));
            }

            string first = Pattern(1234);
            Assert.Equal(first, Pattern(1234));
            Assert.Contains('F', first);
            Assert.Contains('T', first);
            Assert.Contains('.', first);
            Assert.NotEqual(first, Pattern(99));
        }

        [Fact]
        public void Fault_Latency_IsCancellable()
        {
            using var sim = Sim.Connect(out _);
            sim.Run("Set-ExoSimulatorFault -LatencyMilliseconds 60000 -Command Get-Mailbox").EnsureSuccess();

            using var ps = PowerShell.Create(sim.Runspace);
            ps.AddScript("Get-Mailbox");
            var watch = Stopwatch.StartNew();
            IAsyncResult pending = ps.BeginInvoke();
            Thread.Sleep(300);
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {watch.Elapsed}.");

            sim.Run("Set-ExoSimulatorFault -LatencyMilliseconds 150 -Command Get-Mailbox").EnsureSuccess();
            watch.Restart();
            sim.Run("Get-Mailbox").EnsureSuccess();
            Assert.True(watch.ElapsedMilliseconds >= 140);
        }

        #endregion

        #region Harness

        private static string UniqueOrganization() => "sim" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".onmicrosoft.com";

        private static object? Prop(PSObject item, string name)
        {
            object? value = item.Properties[name]?.Value;
            return value is PSObject pso ? pso.BaseObject : value;
        }

        private static List<SimResult> RunConcurrently(IReadOnlyList<Sim> sims, Func<int, string> script)
        {
            using var barrier = new Barrier(sims.Count);
            var tasks = sims.Select((s, i) => Task.Factory.StartNew(() =>
            {
                barrier.SignalAndWait();
                return s.Run(script(i));
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(tasks);
            return tasks.Select(t => t.Result).ToList();
        }

        private sealed class SimResult
        {
            public Collection<PSObject> Output { get; } = new Collection<PSObject>();
            public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();

            public PSObject Single()
            {
                EnsureSuccess();
                Assert.True(Output.Count == 1, $"Expected one object, got {Output.Count}.");
                return Output[0];
            }

            public SimResult EnsureSuccess()
            {
                Assert.True(Errors.Count == 0, "Errors: " + string.Join(Environment.NewLine, Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
                return this;
            }
        }

        /// <summary>A runspace of the real engine with the laid-out simulator module imported.</summary>
        private sealed class Sim : IDisposable
        {
            private static readonly Lazy<string> Manifest = new Lazy<string>(() =>
            {
                string path = Path.Combine(FindRepoRoot(), "out", "RootMail.Simulator", "RootMail.Simulator.psd1");
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"The simulator is not built: {path} is missing. Run `dotnet build src/RootMail.Simulator`.", path);
                }

                return path;
            });

            private Sim()
            {
                Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                Runspace.Open();
                Run("Import-Module -Name $manifest -ErrorAction Stop", new Dictionary<string, object?> { ["manifest"] = Manifest.Value }).EnsureSuccess();
            }

            public Runspace Runspace { get; }

            public static Sim Open() => new Sim();

            /// <summary>A runspace connected to a new tenant of its own, with contoso.test accepted.</summary>
            public static Sim Connect(out string organization)
            {
                organization = UniqueOrganization();
                var sim = new Sim();
                sim.Run($"Connect-ExchangeOnline -Organization {organization} -AcceptedDomain {Domain}").EnsureSuccess();
                return sim;
            }

            public SimResult Run(string script, IDictionary<string, object?>? variables = null)
            {
                if (variables != null)
                {
                    foreach (KeyValuePair<string, object?> v in variables)
                    {
                        Runspace.SessionStateProxy.SetVariable(v.Key, v.Value);
                    }
                }

                var result = new SimResult();
                using PowerShell ps = PowerShell.Create(Runspace);
                ps.AddScript(script);
                try
                {
                    foreach (PSObject o in ps.Invoke())
                    {
                        result.Output.Add(o);
                    }
                }
                catch (RuntimeException e)
                {
                    result.Errors.Add(e.ErrorRecord);
                }

                result.Errors.InsertRange(0, ps.Streams.Error);
                return result;
            }

            public void Dispose() => Runspace.Dispose();

            private static string FindRepoRoot()
            {
                foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
                {
                    for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                    {
                        if (File.Exists(Path.Combine(dir.FullName, "RootMail.sln")))
                        {
                            return dir.FullName;
                        }
                    }
                }

                throw new DirectoryNotFoundException("No folder above the tests holds RootMail.sln.");
            }
        }

        #endregion
    }
}
