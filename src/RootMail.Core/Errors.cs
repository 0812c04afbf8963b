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
        public static RootMailException ExchangeMailboxNotFound(string identity) => E("ExchangeMailboxNotFound", ErrorKind.ObjectNotFound, identity,
            $"Exchange has no mailbox '{identity}'. Check the name, or create it with New-AwsRootMailbox (without -Adopt).");
        public static RootMailException MailboxFullInExchange(string mailbox, string message, Exception inner) => E("MailboxFull", ErrorKind.LimitsExceeded, mailbox,
            $"Exchange refused more addresses on '{mailbox}': {message} It carries proxy addresses RootMail did not count, so RootMail now treats it as full; add a mailbox with New-AwsRootMailbox.", inner);

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
