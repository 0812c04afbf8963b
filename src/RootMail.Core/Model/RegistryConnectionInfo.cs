using System;

namespace RootMail
{
    /// <summary>What Connect-AwsRootRegistry connected to. Carries no secret.</summary>
    public sealed class RegistryConnectionInfo
    {
        public RegistryConnectionInfo(Uri tableEndpoint, string tableName, string accountName, string authentication, int schemaVersion, Uri graphEndpoint, DateTimeOffset connectedAt)
        {
            TableEndpoint = tableEndpoint;
            TableName = tableName;
            AccountName = accountName;
            Authentication = authentication;
            SchemaVersion = schemaVersion;
            GraphEndpoint = graphEndpoint;
            ConnectedAt = connectedAt;
        }

        public Uri TableEndpoint { get; }
        public string TableName { get; }
        public string AccountName { get; }
        /// <summary>SharedKey, SharedAccessSignature, ManagedIdentity, AzureCredential or DevelopmentStorage.</summary>
        public string Authentication { get; }
        public int SchemaVersion { get; }
        public Uri GraphEndpoint { get; }
        public DateTimeOffset ConnectedAt { get; }
    }
}
