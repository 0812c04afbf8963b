using System;
using System.Security;
using System.Threading;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using RootMail.Rules;

namespace RootMail.Registry
{
    /// <summary>How to reach the registry; exactly one way is given.</summary>
    public sealed class ConnectRequest
    {
        public string? ConnectionString { get; set; }
        public Uri? TableEndpoint { get; set; }
        public bool ManagedIdentity { get; set; }
        public string? ClientId { get; set; }
        public bool DevelopmentStorage { get; set; }
        public string TableName { get; set; } = Limits.DefaultTableName;
        public Uri? GraphEndpoint { get; set; }
        public SecureString? GraphAccessToken { get; set; }
        // How to sign in to Azure (registry with TableEndpoint, and Graph); at most one switch. See Credentials.
        public string? TenantId { get; set; }
        public bool WorkloadIdentity { get; set; }
        public string? CertificateThumbprint { get; set; }
        public string? CertificatePath { get; set; }
        public SecureString? CertificatePassword { get; set; }
        public bool Interactive { get; set; }
        public bool DeviceCode { get; set; }
        /// <summary>Where the device-code prompt goes; the caller shows it on its thread. Null: the session makes its own.</summary>
        public Mail.SignInPrompts? Prompts { get; set; }
    }

    /// <summary>An open registry: what one runspace is connected to. Holds credentials, never shows them.</summary>
    public sealed class RegistrySession
    {
        public static readonly Uri DefaultGraphEndpoint = new Uri("https://graph.microsoft.com");
        const string DevelopmentStorageConnectionString = "UseDevelopmentStorage=true";

        RegistrySession(TableRegistry registry, RegistryConnectionInfo info, TokenCredential? credential, SecureString? graphToken, Mail.SignInPrompts prompts)
        {
            Registry = registry;
            Info = info;
            Credential = credential;
            GraphAccessToken = graphToken;
            Prompts = prompts;
        }

        internal TableRegistry Registry { get; }
        public RegistryConnectionInfo Info { get; }
        /// <summary>The Azure credential of the registry, shared with Graph; null with a key, SAS or Azurite.</summary>
        internal TokenCredential? Credential { get; }
        internal SecureString? GraphAccessToken { get; }
        /// <summary>Device-code prompts the credential posts while a command waits for a token.</summary>
        public Mail.SignInPrompts Prompts { get; }
        /// <summary>HTTP requests sent to the table service by this connection so far.</summary>
        public long RequestCount => Registry.RequestCount;
        /// <summary>Of those, the queries (requests with a filter), the kind a table service may answer by scanning.</summary>
        public long QueryCount => Registry.QueryCount;

        public static RegistrySession Connect(ConnectRequest request, CancellationToken cancel)
        {
            var tableName = Validate.TableName(request.TableName);
            var graph = request.GraphEndpoint ?? DefaultGraphEndpoint;
            if (!graph.IsAbsoluteUri || graph.Scheme != Uri.UriSchemeHttps && !graph.IsLoopback)
                throw new RootMailException("RootMail.InvalidGraphEndpoint", $"-GraphEndpoint '{graph}' must be an https URI, for example https://graph.microsoft.us.", ErrorKind.InvalidArgument, graph);
            Credentials.Check(request);
            var prompts = request.Prompts ?? new Mail.SignInPrompts();
            var chosen = Credentials.FromSwitches(request, graph, prompts, out var chosenKind);
            var counter = new RequestCounter();
            var options = TableRegistry.NewOptions(counter);
            TableServiceClient service;
            TokenCredential? credential = chosen; // with a connection string, for Graph only
            string authentication;

            if (request.ConnectionString != null || request.DevelopmentStorage)
            {
                var connectionString = request.DevelopmentStorage ? DevelopmentStorageConnectionString : request.ConnectionString!;
                try { service = new TableServiceClient(connectionString, options); }
                catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidOperationException || ex is UriFormatException)
                {
                    throw Errors.InvalidConnectionString();
                }
                authentication = request.DevelopmentStorage || connectionString.IndexOf("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) >= 0 ? "DevelopmentStorage"
                    : connectionString.IndexOf("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase) >= 0 ? "SharedAccessSignature"
                    : "SharedKey";
            }
            else if (request.TableEndpoint != null)
            {
                var endpoint = request.TableEndpoint;
                if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && !endpoint.IsLoopback) || !string.IsNullOrEmpty(endpoint.Query))
                    throw new RootMailException("RootMail.InvalidTableEndpoint",
                        "-TableEndpoint must be the https table endpoint of the storage account without a query string, for example https://contoso.table.core.windows.net.",
                        ErrorKind.InvalidArgument, endpoint.GetLeftPart(UriPartial.Path));
                credential = chosen ?? Credentials.Default(request, graph);
                authentication = chosenKind ?? "AzureCredential";
                service = new TableServiceClient(endpoint, credential, options);
            }
            else
            {
                throw new RootMailException("RootMail.ConnectionMissing",
                    "Say how to reach the registry: -ConnectionString, -TableEndpoint (with -ManagedIdentity or your Azure sign-in), or -UseDevelopmentStorage for Azurite.",
                    ErrorKind.InvalidArgument);
            }

            var registry = TableRegistry.Open(service, tableName, counter, cancel);
            var info = new RegistryConnectionInfo(new Uri(service.Uri.GetLeftPart(UriPartial.Path)), tableName, service.AccountName, authentication,
                Keys.SchemaVersion, graph, DateTimeOffset.UtcNow,
                request.GraphAccessToken != null ? "AccessToken" : credential is null ? "None" : chosenKind ?? "AzureCredential");
            var token = request.GraphAccessToken?.Copy(); // the caller may dispose theirs
            token?.MakeReadOnly();
            return new RegistrySession(registry, info, credential, token, prompts);
        }
    }
}
