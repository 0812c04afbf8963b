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

        [Parameter(ParameterSetName = EndpointSet)]
        public SwitchParameter ManagedIdentity { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        public string? ClientId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DevelopmentSet)]
        public SwitchParameter UseDevelopmentStorage { get; set; }

        [Parameter]
        public string TableName { get; set; } = Limits.DefaultTableName;

        [Parameter]
        public Uri? GraphEndpoint { get; set; }

        [Parameter]
        public SecureString? GraphAccessToken { get; set; }

        protected override bool NeedsRegistry => false;

        protected override void ProcessRecord() => Invoke(() =>
        {
            if (IsBound(nameof(ClientId)) && !ManagedIdentity)
                throw new RootMailException("RootMail.InvalidArgumentCombination", "-ClientId names a user-assigned managed identity: use it with -ManagedIdentity.", ErrorKind.InvalidArgument);
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
            };
            WriteVerbose(ParameterSetName == EndpointSet
                ? $"Connecting to table '{TableName}' at {TableEndpoint.GetLeftPart(UriPartial.Path)} with {(ManagedIdentity ? "a managed identity" : "the Azure credential chain")}."
                : ParameterSetName == DevelopmentSet ? $"Connecting to table '{TableName}' in the local storage emulator (Azurite)." : $"Connecting to table '{TableName}' with a connection string.");
            var session = RegistrySession.Connect(request, ((IOperationHost)this).Cancellation);
            ConnectionStore.Set(session);
            WriteVerbose($"Connected to registry '{session.Info.TableName}' of account '{session.Info.AccountName}' (schema {session.Info.SchemaVersion}).");
            WriteObject(session.Info);
        });
    }
}
