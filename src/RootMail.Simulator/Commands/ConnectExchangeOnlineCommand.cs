using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects this runspace to a simulated Exchange Online tenant, creating it if missing.</para>
    /// <para type="description">Tenants live for the whole process and are shared by every runspace connected to the same -Organization. The authentication parameters of the real ExchangeOnlineManagement module are accepted and ignored, so runbooks run unchanged.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "ExchangeOnline")]
    [OutputType(typeof(void))]
    public sealed class ConnectExchangeOnlineCommand : PSCmdlet
    {
        internal const string DefaultOrganization = "contoso.onmicrosoft.com";

        /// <summary>The tenant's name and initial accepted domain. Default contoso.onmicrosoft.com.</summary>
        [Parameter]
        public string Organization { get; set; } = DefaultOrganization;

        /// <summary>Simulator only: more accepted domains for the tenant (added to an existing tenant too).</summary>
        [Parameter]
        public string[]? AcceptedDomain { get; set; }

        // Accepted and ignored: the real module's connection parameters.
        [Parameter] public SwitchParameter ManagedIdentity { get; set; }
        [Parameter] public string? ManagedIdentityAccountId { get; set; }
        [Parameter] public string? AppId { get; set; }
        [Parameter] public string? CertificateThumbprint { get; set; }
        [Parameter] public X509Certificate2? Certificate { get; set; }
        [Parameter] public string? CertificateFilePath { get; set; }
        [Parameter] public SecureString? CertificatePassword { get; set; }
        [Parameter] public string? UserPrincipalName { get; set; }
        [Parameter] public PSCredential? Credential { get; set; }
        [Parameter] public SwitchParameter ShowBanner { get; set; }
        [Parameter] public bool ShowProgress { get; set; }
        [Parameter] public SwitchParameter Device { get; set; }
        [Parameter] public SwitchParameter InlineCredential { get; set; }
        [Parameter] public SwitchParameter DisableWAM { get; set; }
        [Parameter] public string? AccessToken { get; set; }
        [Parameter] public string? DelegatedOrganization { get; set; }
        [Parameter] public string[]? CommandName { get; set; }
        [Parameter] public SwitchParameter SkipLoadingFormatData { get; set; }
        [Parameter] public SwitchParameter SkipLoadingCmdletHelp { get; set; }
        [Parameter] public SwitchParameter LoadCmdletHelp { get; set; }
        [Parameter] public string? ExchangeEnvironmentName { get; set; }
        [Parameter] public string? ConnectionUri { get; set; }
        [Parameter] public string? AzureADAuthorizationEndpointUri { get; set; }
        [Parameter] public SwitchParameter EnableErrorReporting { get; set; }
        [Parameter] public string? LogDirectoryPath { get; set; }
        [Parameter] public string? LogLevel { get; set; }
        [Parameter] public bool TrackPerformance { get; set; }
        [Parameter] public bool UseMultithreading { get; set; }
        [Parameter] public uint PageSize { get; set; }

        protected override void EndProcessing()
        {
            var domains = new List<string>();
            foreach (string d in new[] { Organization }.Concat(AcceptedDomain ?? Array.Empty<string>()))
            {
                if (!SmtpAddress.IsValidDomain(d))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"\"{d}\" isn't a valid domain name."),
                        "InvalidDomain",
                        ErrorCategory.InvalidArgument,
                        d));
                }

                domains.Add(d);
            }

            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("The Exchange Online simulator needs a runspace to bind the connection to."),
                    "NoRunspace",
                    ErrorCategory.InvalidOperation,
                    null));
            }

            TenantRegistry.Connect(runspace!, Organization, domains);
        }
    }
}
