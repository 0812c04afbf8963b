using System;

namespace RootMail
{
    /// <summary>Every RootMail error, in one place, so ids and messages stay consistent.</summary>
    internal static class Errors
    {
        static RootMailException E(string id, ErrorKind kind, object? target, string message, Exception? inner = null)
            => new RootMailException(id, message, kind, target, inner);

        // Input
        public static RootMailException InvalidAccountId(string? value) => E("InvalidAccountId", ErrorKind.InvalidArgument, value,
            $"'{Show(value)}' is not an AWS account ID: it must be exactly 12 digits. Pass it as a quoted string (for example '012345678901') so that leading zeros are kept.");
        public static RootMailException InvalidEmail(string parameter, string? value, string why) => E("InvalidEmailAddress", ErrorKind.InvalidArgument, value,
            $"-{parameter} '{Show(value)}' is not a usable e-mail address: {why}.");
        public static RootMailException InvalidAliasAddress(string? value, string why) => E("InvalidAliasAddress", ErrorKind.InvalidArgument, value,
            $"'{Show(value)}' cannot be a root alias: {why}.");
        public static RootMailException AddressNotInPoolDomain(string address, string pool, string domain) => E("AddressNotInPoolDomain", ErrorKind.InvalidArgument, address,
            $"'{address}' is not in pool '{pool}', whose aliases are all @{domain}. Check the address, or pass the right -Pool.");
        public static RootMailException InvalidPoolName(string? value) => E("InvalidPoolName", ErrorKind.InvalidArgument, value,
            $"'{Show(value)}' is not a valid pool name: use 1 to 32 letters, digits, '-' or '_', starting with a letter or digit.");
        public static RootMailException InvalidMailboxName(string parameter, string? value) => E("InvalidMailboxName", ErrorKind.InvalidArgument, value,
            $"-{parameter} '{Show(value)}' is not a valid mailbox name: use 1 to 64 letters, digits, spaces, '.', '-' or '_', starting with a letter or digit.");
        public static RootMailException InvalidAccountName(string? value) => E("InvalidAccountName", ErrorKind.InvalidArgument, value,
            $"-AccountName '{Show(value)}' is not a valid AWS account name: use 1 to 50 printable ASCII characters.");
        public static RootMailException InvalidDomain(string? value) => E("InvalidDomain", ErrorKind.InvalidArgument, value,
            $"-Domain '{Show(value)}' is not a valid mail domain: use letters, digits, '-' and at least one '.', for example contoso.com.");
        public static RootMailException InvalidCapacity(string parameter, int value) => E("InvalidCapacity", ErrorKind.InvalidArgument, value,
            $"-{parameter} {value} is out of range: a mailbox carries 1 to {Rules.Limits.ExchangeProxyAddressLimit} aliases (Exchange Online allows 400 proxy addresses per recipient; 300 or fewer is advised).");
        public static RootMailException InvalidCount(int value, int max) => E("InvalidCount", ErrorKind.InvalidArgument, value,
            $"-Count {value} is out of range: provision 1 to {max} aliases per call.");
        public static RootMailException InvalidTemplate(string? value, string why) => E("InvalidAddressTemplate", ErrorKind.InvalidArgument, value,
            $"-AddressTemplate '{Show(value)}' is not usable: {why}.");
        public static RootMailException InvalidTableName(string? value) => E("InvalidTableName", ErrorKind.InvalidArgument, value,
            $"-TableName '{Show(value)}' is not a valid Azure table name: 3 to 63 letters and digits, starting with a letter.");
        public static RootMailException InvalidConnectionString() => E("InvalidConnectionString", ErrorKind.InvalidArgument, null,
            "The connection string is not a valid Azure Storage connection string (it needs AccountName and AccountKey, or a SharedAccessSignature, and a table endpoint). Copy it again from the storage account's 'Access keys' page.");

        public static RootMailException InvalidStatusFilter(string value) => E("InvalidStatus", ErrorKind.InvalidArgument, value,
            $"-Status '{Show(value)}' is not an alias status: use Reserved, Available, Assigned, Registered or Retired.");

        // Connection
        public static RootMailException RegistryNotConnected() => E("RegistryNotConnected", ErrorKind.InvalidOperation, null,
            "This session is not connected to a RootMail registry. Run Connect-AwsRootRegistry first (each runspace connects on its own).");
        public static RootMailException RegistrySchemaUnsupported(string table, int found, int supported) => E("RegistrySchemaUnsupported", ErrorKind.InvalidData, table,
            $"Table '{table}' holds a RootMail registry of schema version {found}; this version of RootMail understands up to {supported}. Update the RootMail module.");
        public static RootMailException RegistryUnavailable(string what, Exception inner) => E("RegistryUnavailable", ErrorKind.ConnectionError, null,
            $"The registry could not be reached while {what}: {inner.Message} Check the network and the storage account, then run the command again.", inner);
        public static RootMailException RegistryAccessDenied(string what, Exception inner) => E("RegistryAccessDenied", ErrorKind.PermissionDenied, null,
            $"The registry refused access while {what}. The identity needs the 'Storage Table Data Contributor' role on the table (role assignments can take up to 30 minutes to apply), or the key/SAS is wrong or expired.", inner);
        public static RootMailException RegistryBusy(string what) => E("RegistryBusy", ErrorKind.ResourceUnavailable, null,
            $"The registry stayed too busy with concurrent changes while {what}. Run the command again.");
        public static RootMailException RegistryError(string what, Exception inner) => E("RegistryError", ErrorKind.InvalidOperation, null,
            $"The registry failed while {what}: {inner.Message}", inner);

        // Pools and mailboxes
        public static RootMailException PoolNotFound(string pool) => E("PoolNotFound", ErrorKind.ObjectNotFound, pool,
            $"There is no pool '{pool}' in the registry. Create it with Set-AwsRootPool -Pool {pool} -Domain <your domain>.");
        public static RootMailException PoolDomainRequired(string pool) => E("PoolDomainRequired", ErrorKind.InvalidArgument, pool,
            $"Pool '{pool}' does not exist yet: give its -Domain to create it.");
        public static RootMailException MailboxNotFound(string identity, string pool) => E("MailboxNotFound", ErrorKind.ObjectNotFound, identity,
            $"There is no mailbox '{identity}' in pool '{pool}'. List the pool's mailboxes with Get-AwsRootMailbox -Pool {pool}.");
        public static RootMailException MailboxAlreadyRegistered(string identity, string pool) => E("MailboxAlreadyInPool", ErrorKind.ResourceExists, identity,
            $"Mailbox '{identity}' is already in pool '{pool}'.");
        public static RootMailException NotASharedMailbox(string identity, string type) => E("NotASharedMailbox", ErrorKind.InvalidArgument, identity,
            $"'{identity}' is a {type}, not a shared mailbox; only shared mailboxes (no licence needed) can join a pool.");
        public static RootMailException PoolExhausted(string pool, int requested, int free) => E("PoolExhausted", ErrorKind.LimitsExceeded, pool,
            requested <= 1
                ? $"Pool '{pool}' has no available alias and no mailbox with free capacity. Add a mailbox with New-AwsRootMailbox -Pool {pool}."
                : $"Pool '{pool}' has room for {free} more aliases, not {requested}. Add mailboxes with New-AwsRootMailbox -Pool {pool}, or ask for fewer.");

        // Aliases
        public static RootMailException AliasNotFound(string what, string pool) => E("AliasNotFound", ErrorKind.ObjectNotFound, what,
            $"No alias {what} in pool '{pool}'.");
        public static RootMailException AliasInOtherPool(string address, string pool, string actualPool) => E("AliasNotFound", ErrorKind.ObjectNotFound, address,
            $"Alias '{address}' is not in pool '{pool}'; it belongs to pool '{actualPool}'. Pass -Pool {actualPool}.");
        public static RootMailException AccountAlreadyRegistered(string accountId, string existing) => E("AccountAlreadyRegistered", ErrorKind.ResourceExists, accountId,
            $"AWS account {accountId} is already registered to '{existing}'. An account has one root alias; retire that alias first with Remove-AwsRootAlias -AccountId {accountId}.");
        public static RootMailException AliasAlreadyRegistered(string address, string accountId) => E("AliasAlreadyRegistered", ErrorKind.ResourceExists, address,
            $"'{address}' is already registered to AWS account {accountId}. An alias belongs to one account; hand out a new alias for the other account.");
        public static RootMailException AliasNotAssigned(string address, AliasStatus status) => E("AliasNotAssigned", ErrorKind.InvalidOperation, address,
            status == AliasStatus.Retired
                ? $"'{address}' is retired and can never be used again. Hand out a new alias with New-AwsRootAlias."
                : status == AliasStatus.Reserved
                    ? $"'{address}' is an unfinished reservation, not a handed-out alias. Hand out a new alias with New-AwsRootAlias."
                    : $"'{address}' has not been handed out. Hand it out with New-AwsRootAlias first, then register it.");
        public static RootMailException CannotRelease(string address, AliasStatus status) => E("CannotRelease", ErrorKind.InvalidOperation, address,
            $"'{address}' is {status}; only an Assigned alias that was never registered can be released back to Available. Retire it instead (Remove-AwsRootAlias without -Release).");

        // Exchange
        public static RootMailException ExchangeNotConnected(string command) => E("ExchangeNotConnected", ErrorKind.InvalidOperation, command,
            $"The Exchange Online command '{command}' is not available in this session. Run Connect-ExchangeOnline first (or Import-Module RootMail.Simulator and Connect-ExchangeOnline to rehearse without a tenant).");
        public static RootMailException ExchangeFailed(string command, string target, string message, Exception inner) => E("ExchangeError", ErrorKind.InvalidOperation, target,
            $"Exchange refused {command} for '{target}': {message}", inner);
        public static RootMailException ExchangeUnavailable(string command, string target, int unfinished, string message, Exception inner) => E("ExchangeUnavailable", ErrorKind.ResourceUnavailable, target,
            $"Exchange kept failing {command} for '{target}' after {Exchange.ResilientExchange.MaxAttempts} attempts ({message.Split('\n')[0].Trim()}). " +
            $"{unfinished} unfinished change(s) are recorded and never handed out; run the command again later, and Sync-AwsRootRegistry -Repair finishes or withdraws them.", inner);
        public static RootMailException ExchangeMailboxNotFound(string identity) => E("ExchangeMailboxNotFound", ErrorKind.ObjectNotFound, identity,
            $"Exchange has no mailbox '{identity}'. Check the name, or create it with New-AwsRootMailbox (without -Adopt).");
        public static RootMailException MailboxFullInExchange(string mailbox, string message, Exception inner) => E("MailboxFull", ErrorKind.LimitsExceeded, mailbox,
            $"Exchange refused more addresses on '{mailbox}': {message} It carries proxy addresses RootMail did not count, so RootMail now treats it as full; add a mailbox with New-AwsRootMailbox.", inner);

        // Mail
        public static RootMailException InvalidFirst(int value) => E("InvalidFirst", ErrorKind.InvalidArgument, value,
            $"-First {value} is out of range: ask for 1 or more messages.");
        public static RootMailException InvalidTimeout(int value) => E("InvalidTimeout", ErrorKind.InvalidArgument, value,
            $"-Timeout {value} is out of range: wait 1 to 86400 seconds (one day).");
        public static RootMailException ArgumentCombination(string message) => E("InvalidArgumentCombination", ErrorKind.InvalidArgument, null, message);
        public static RootMailException InvalidClientId(string? value) => E("InvalidClientId", ErrorKind.InvalidArgument, value,
            $"-ClientId '{Show(value)}' is not an application (client) ID: it is a GUID such as 00000000-0000-0000-0000-000000000000, shown on the app registration's or managed identity's overview page.");
        public static RootMailException InvalidTenantId(string? value) => E("InvalidTenantId", ErrorKind.InvalidArgument, value,
            $"-TenantId '{Show(value)}' is not a Microsoft Entra tenant: give its ID (a GUID) or a domain such as contoso.onmicrosoft.com.");
        public static RootMailException CertificateNotFound(string thumbprint) => E("CertificateNotFound", ErrorKind.ObjectNotFound, thumbprint,
            $"No certificate with thumbprint {thumbprint} and a private key was found in the CurrentUser\\My or LocalMachine\\My store. Import the certificate with its private key, or pass -CertificatePath.");
        public static RootMailException InvalidThumbprint(string? value) => E("InvalidCertificateThumbprint", ErrorKind.InvalidArgument, value,
            $"-CertificateThumbprint '{Show(value)}' is not a certificate thumbprint: 40 hexadecimal digits, as Get-ChildItem Cert:\\CurrentUser\\My shows them.");
        public static RootMailException CertificateUnreadable(string path, string why, Exception? inner = null) => E("CertificateUnreadable", ErrorKind.InvalidArgument, path,
            $"The certificate '{path}' could not be used: {why}. Give a PFX (with -CertificatePassword if it has one) or a PEM file that holds the certificate and its private key.", inner);
        public static RootMailException WorkloadIdentityUnavailable(string missing) => E("WorkloadIdentityUnavailable", ErrorKind.InvalidOperation, null,
            $"-WorkloadIdentity needs {missing}. Run where a workload identity is set up (for example a Kubernetes pod with azure.workload.identity/use: \"true\", which sets AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID), or give -TenantId and -ClientId.");
        public static RootMailException GraphNotConnected() => E("GraphNotConnected", ErrorKind.InvalidOperation, null,
            "Reading mail needs a Microsoft Graph credential, and this connection has none (a connection string or Azurite gives the registry only). " +
            "Connect again with a credential: -ManagedIdentity, -WorkloadIdentity, -CertificateThumbprint/-CertificatePath with -TenantId and -ClientId, -Interactive or -DeviceCode " +
            "(with -TableEndpoint, or added to -ConnectionString), or pass a token with -GraphAccessToken.");
        public static RootMailException GraphAuthenticationFailed(string endpoint, string detail, Exception? inner = null) => E("GraphAuthenticationFailed", ErrorKind.AuthenticationError, endpoint,
            $"Microsoft Graph at {endpoint} did not accept the credential: {detail} Check the credential (an expired or wrong -GraphAccessToken, a token for another resource than {endpoint}), then connect again with Connect-AwsRootRegistry.", inner);
        public static RootMailException MailAccessDenied(string mailbox, string detail, Exception? inner = null) => E("MailAccessDenied", ErrorKind.PermissionDenied, mailbox,
            $"Microsoft Graph refused to read the mail of '{mailbox}': {detail} The application needs the Graph application permission Mail.Read, confined to the pool's mailboxes with Exchange RBAC for Applications " +
            "(a management scope on CustomAttribute1 -eq 'RootMail:<pool>'); see the README's 'Reading mail' section. A signed-in admin needs delegated Mail.Read.Shared and FullAccess on the mailbox.", inner);
        public static RootMailException GraphMailboxNotFound(string mailbox, string detail, Exception? inner = null) => E("GraphMailboxNotFound", ErrorKind.ObjectNotFound, mailbox,
            $"Microsoft Graph has no mailbox '{mailbox}': {detail} Check that the mailbox exists in Exchange Online (Get-AwsRootMailbox shows the pool's mailboxes).", inner);
        public static RootMailException GraphThrottled(string mailbox, Exception? inner = null) => E("GraphThrottled", ErrorKind.ResourceUnavailable, mailbox,
            $"Microsoft Graph kept throttling requests for '{mailbox}' (HTTP 429) after several retries. Wait a minute and run the command again; Graph allows 10,000 requests per 10 minutes per application and mailbox.", inner);
        public static RootMailException GraphUnavailable(string endpoint, string detail, Exception? inner = null) => E("GraphUnavailable", ErrorKind.ConnectionError, endpoint,
            $"Microsoft Graph at {endpoint} could not be reached: {detail} Check the network and -GraphEndpoint, then run the command again.", inner);
        public static RootMailException GraphError(string mailbox, int status, string detail, Exception? inner = null) => E("GraphError", ErrorKind.InvalidOperation, mailbox,
            $"Microsoft Graph failed to list the messages of '{mailbox}' (HTTP {status}): {detail}", inner);
        public static RootMailException MailWaitTimeout(string address, int seconds) => E("MailWaitTimeout", ErrorKind.OperationTimeout, address,
            $"No new message for '{address}' arrived within {seconds} seconds. Check that the sender used this address, then wait longer with -Timeout, or list what arrived with Get-AwsRootMail -Address {address}.");

        // Import
        public static RootMailException InvalidSourceTableName(string? value) => E("InvalidTableName", ErrorKind.InvalidArgument, value,
            $"-SourceTableName '{Show(value)}' is not a valid Azure table name: 3 to 63 letters and digits, starting with a letter.");
        public static RootMailException InvalidSourceConnectionString() => E("InvalidConnectionString", ErrorKind.InvalidArgument, null,
            "-SourceConnectionString is not a valid Azure Storage connection string (it needs AccountName and AccountKey, or a SharedAccessSignature, and a table endpoint). Copy it again from the storage account's 'Access keys' page.");
        public static RootMailException ImportSourceIsRegistry(string table) => E("ImportSourceIsRegistry", ErrorKind.InvalidArgument, table,
            $"'{table}' is the connected registry itself. Give -SourceTableName the reference design's table (its rows have PartitionKey 'root').");
        public static RootMailException ImportSourceNotFound(string table, string account) => E("ImportSourceNotFound", ErrorKind.ObjectNotFound, table,
            $"Storage account '{account}' has no table '{table}'. Check -SourceTableName, or give -SourceConnectionString when the reference table is in another storage account.");
        public static RootMailException ImportSourceAccessDenied(string table, string account) => E("ImportSourceAccessDenied", ErrorKind.PermissionDenied, table,
            $"Reading table '{table}' of storage account '{account}' was refused. Give the identity the 'Storage Table Data Reader' role on that table, or pass -SourceConnectionString with a key or SAS that can read it.");

        static string Show(string? value)
        {
            if (value is null) return "";
            var s = value.Length > 80 ? value.Substring(0, 80) + "..." : value;
            var chars = s.ToCharArray();
            for (int i = 0; i < chars.Length; i++) if (char.IsControl(chars[i])) chars[i] = '?';
            return new string(chars);
        }
    }
}
