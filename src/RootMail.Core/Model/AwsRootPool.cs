namespace RootMail
{
    /// <summary>A named set of shared mailboxes and the settings their aliases are made with.</summary>
    public sealed class AwsRootPool
    {
        public AwsRootPool(string name, string domain, string addressTemplate, int mailboxCapacity, string? forwardingAddress, string mailboxNamePrefix)
        {
            Name = name;
            Domain = domain;
            AddressTemplate = addressTemplate;
            MailboxCapacity = mailboxCapacity;
            ForwardingAddress = forwardingAddress;
            MailboxNamePrefix = mailboxNamePrefix;
        }

        public string Name { get; }
        /// <summary>The domain of every alias in the pool (an accepted domain of the tenant).</summary>
        public string Domain { get; }
        /// <summary>The local part of new aliases: literal text with the tokens {name}, {random}, {random:N}.</summary>
        public string AddressTemplate { get; }
        public int MailboxCapacity { get; }
        /// <summary>The main mailbox that pool mailboxes forward to; empty: they keep their own mail.</summary>
        public string? ForwardingAddress { get; }
        public string MailboxNamePrefix { get; }

        public override string ToString() => Name;
    }
}
