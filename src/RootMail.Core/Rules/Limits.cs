namespace RootMail.Rules
{
    /// <summary>The numbers RootMail lives by (see DOMAIN facts in the README).</summary>
    public static class Limits
    {
        /// <summary>Exchange Online's limit of proxy addresses per recipient, primary and onmicrosoft.com addresses included.</summary>
        public const int ExchangeProxyAddressLimit = 400;
        /// <summary>AWS's limit for a root e-mail address, in characters.</summary>
        public const int MaxAliasLength = 64;
        public const int DefaultMailboxCapacity = 300;
        public const string DefaultPool = "default";
        public const string DefaultAddressTemplate = "aws-{name}-{random}";
        public const string DefaultMailboxNamePrefix = "awsroot-";
        public const string DefaultTableName = "AwsRootMail";
        /// <summary>Characters of a bare {random} token.</summary>
        public const int DefaultRandomLength = 8;
        /// <summary>The fewest random characters a template may carry, so that addresses cannot be guessed.</summary>
        public const int MinRandomLength = 6;
        public const int MaxRandomLength = 32;
        /// <summary>The most aliases one -Count call provisions.</summary>
        public const int MaxProvisionCount = 20000;
        /// <summary>AWS account names are 1 to 50 printable ASCII characters.</summary>
        public const int MaxAccountNameLength = 50;
    }
}
