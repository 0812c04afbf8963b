using System;
using System.Management.Automation;
using System.Security;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Opens the registry for this runspace.</summary>
    [Cmdlet(VerbsCommunications.Connect, "AwsRootRegistry", DefaultParameterSetName = ConnectionStringSet)]
    [OutputType(typeof(RegistryConnectionInfo))]
    public sealed class ConnectAwsRootRegistryCommand : RootMailCmdlet
    {
        const string ConnectionStringSet = "ConnectionString";
        const string EndpointSet = "TableEndpoint";
        const string DevelopmentSet = "DevelopmentStorage";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ConnectionStringSet)]
        [AllowEmptyString]
        public string ConnectionString { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
        public Uri TableEndpoint { get; set; } = null!;

        // How to sign in to Azure: with -TableEndpoint for the registry and Graph, with the others for Graph only.
        [Parameter]
        public SwitchParameter ManagedIdentity { get; set; }

        [Parameter]
        public string? ClientId { get; set; }

        [Parameter]
        public string? TenantId { get; set; }

        [Parameter]
        public string? CertificateThumbprint { get; set; }

        [Parameter]
        public string? CertificatePath { get; set; }

        [Parameter]
        public SecureString? CertificatePassword { get; set; }

        [Parameter]
        public SwitchParameter WorkloadIdentity { get; set; }

        [Parameter]
        public SwitchParameter Interactive { get; set; }

        [Parameter]
        public SwitchParameter DeviceCode { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DevelopmentSet)]
        public SwitchParameter UseDevelopmentStorage { get; set; }

        [Parameter]
        public string TableName { get; set; } = Limits.DefaultTableName;

        [Parameter]
        public Uri? GraphEndpoint { get; set; }

        [Parameter]
        public SecureString? GraphAccessToken { get; set; }

        protected override bool NeedsRegistry => false;

        string? SignIn => ManagedIdentity ? (ClientId is null ? "a managed identity" : "a user-assigned managed identity")
            : WorkloadIdentity ? "a workload identity"
            : CertificateThumbprint != null || CertificatePath != null ? "a client certificate"
            : Interactive ? "an interactive sign-in"
            : DeviceCode ? "a device-code sign-in"
            : null;

        /// <summary>A path relative to PowerShell's current location, as a file system path; unusable input goes on unchanged, to fail as RootMail.CertificateUnreadable.</summary>
        string? ProviderPath(string? path)
        {
            if (string.IsNullOrWhiteSpace(path)) return path;
            try { return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path); }
            catch (Exception ex) when (ex is PSArgumentException || ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is ItemNotFoundException)
            {
                return path;
            }
        }

        RegistrySession ConnectShowingPrompts(ConnectRequest request, System.Threading.CancellationToken cancel)
        {
            if (!DeviceCode) return RegistrySession.Connect(request, cancel);
            var prompts = new Mail.SignInPrompts();
            request.Prompts = prompts;
            return Mail.SignInPrompts.Wait(System.Threading.Tasks.Task.Run(() => RegistrySession.Connect(request, cancel)), prompts, WriteWarning);
        }

        protected override void ProcessRecord() => Invoke(() =>
        {
            var request = new ConnectRequest
            {
                ConnectionString = ParameterSetName == ConnectionStringSet ? ConnectionString : null,
                TableEndpoint = ParameterSetName == EndpointSet ? TableEndpoint : null,
                ManagedIdentity = ManagedIdentity,
                ClientId = ClientId,
                DevelopmentStorage = UseDevelopmentStorage,
                TableName = TableName,
                GraphEndpoint = GraphEndpoint,
                GraphAccessToken = GraphAccessToken,
                TenantId = TenantId,
                CertificateThumbprint = CertificateThumbprint,
                CertificatePath = ProviderPath(CertificatePath),
                CertificatePassword = CertificatePassword,
                WorkloadIdentity = WorkloadIdentity,
                Interactive = Interactive,
                DeviceCode = DeviceCode,
            };
            WriteVerbose(ParameterSetName == EndpointSet
                ? $"Connecting to table '{TableName}' at {TableEndpoint.GetLeftPart(UriPartial.Path)} with {SignIn ?? "the Azure credential chain"}."
                : ParameterSetName == DevelopmentSet ? $"Connecting to table '{TableName}' in the local storage emulator (Azurite)." : $"Connecting to table '{TableName}' with a connection string.");
            if (ParameterSetName != EndpointSet && SignIn != null) WriteVerbose($"Microsoft Graph will sign in with {SignIn}.");
            // Connect on a worker thread so that a device-code prompt shows here, on the pipeline thread, while the sign-in waits.
            var cancel = OperationHost.Cancellation;
            var session = ConnectShowingPrompts(request, cancel);
            ConnectionStore.Set(session);
            WriteVerbose($"Connected to registry '{session.Info.TableName}' of account '{session.Info.AccountName}' (schema {session.Info.SchemaVersion}).");
            WriteObject(session.Info);
        });
    }
}
