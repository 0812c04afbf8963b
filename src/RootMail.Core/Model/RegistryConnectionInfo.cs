using System;

namespace RootMail
{
    /// <summary>What Connect-AwsRootRegistry connected to. Carries no secret.</summary>
    public sealed class RegistryConnectionInfo
    {
        public RegistryConnectionInfo(Uri tableEndpoint, string tableName, string accountName, string authentication, int schemaVersion, Uri graphEndpoint, DateTimeOffset connectedAt,
            string graphAuthentication = "None")
        {
            TableEndpoint = tableEndpoint;
            TableName = tableName;
            AccountName = accountName;
            Authentication = authentication;
            SchemaVersion = schemaVersion;
            GraphEndpoint = graphEndpoint;
            ConnectedAt = connectedAt;
            GraphAuthentication = graphAuthentication;
        }

        public Uri TableEndpoint { get; }
        public string TableName { get; }
        public string AccountName { get; }
        /// <summary>SharedKey, SharedAccessSignature, DevelopmentStorage, or with -TableEndpoint the credential: ManagedIdentity, WorkloadIdentity, ClientCertificate, InteractiveBrowser, DeviceCode or AzureCredential (the default chain).</summary>
        public string Authentication { get; }
        public int SchemaVersion { get; }
        public Uri GraphEndpoint { get; }
        /// <summary>How Get-AwsRootMail signs in to Graph: AccessToken (-GraphAccessToken), the credential's kind, or None.</summary>
        public string GraphAuthentication { get; }
        public DateTimeOffset ConnectedAt { get; }
    }
}
