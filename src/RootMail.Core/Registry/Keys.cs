namespace RootMail.Registry
{
    /// <summary>
    /// The registry's keys. Everything lives in one partition so that one entity-group transaction can change an
    /// alias, its indexes and its mailbox's counter together. Key parts are validated values that never contain
    /// '|', so a prefix range selects exactly one kind of row.
    /// </summary>
    internal static class Keys
    {
        public const string Partition = "rootmail";
        public const int SchemaVersion = 1;
        public const string Meta = "meta";

        public static string Pool(string pool) => "pool|" + pool;
        public const string PoolPrefix = "pool|";
        public static string Mailbox(string primarySmtpAddress) => "mbx|" + primarySmtpAddress;
        public const string MailboxPrefix = "mbx|";
        public static string Alias(string address) => "alias|" + address;
        public const string AliasPrefix = "alias|";
        public static string Available(string pool, string mailbox, string address) => $"avail|{pool}|{mailbox}|{address}";
        public static string AvailablePrefix(string pool) => $"avail|{pool}|";
        public static string AvailablePrefix(string pool, string mailbox) => $"avail|{pool}|{mailbox}|";
        /// <summary>Claim window <paramref name="index"/> of a pool.</summary>
        public static string Window(string pool, int index) => $"ready|{pool}|{index:D2}";
        public static string Account(string accountId) => "acct|" + accountId;
        public const string AccountPrefix = "acct|";
        public static string Requester(string requestedBy, string address) => $"req|{requestedBy}|{address}";
        public static string RequesterPrefix(string requestedBy) => $"req|{requestedBy}|";
        /// <summary>Every requester entry.</summary>
        public static string RequesterPrefix() => "req|";

        /// <summary>The first key after every key that starts with the prefix ('|' + 1 = '}').</summary>
        public static string PrefixEnd(string prefix) => prefix.Substring(0, prefix.Length - 1) + (char)(prefix[prefix.Length - 1] + 1);
    }
}
