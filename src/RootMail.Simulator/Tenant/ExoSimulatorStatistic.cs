namespace RootMail.Simulator
{
    /// <summary>
    /// Call counters of one simulated tenant (Get-ExoSimulatorStatistic). Every invocation of one of the five
    /// Exchange commands counts once per pipeline input object; <see cref="Failed"/> counts the calls that ended
    /// in an error, injected or not.
    /// </summary>
    public sealed class ExoSimulatorStatistic
    {
        internal ExoSimulatorStatistic(
            string tenant, int getMailbox, int newMailbox, int setMailbox, int getRecipient, int addMailboxPermission,
            int failed, int addressesAdded, int addressesRemoved)
        {
            Tenant = tenant;
            GetMailbox = getMailbox;
            NewMailbox = newMailbox;
            SetMailbox = setMailbox;
            GetRecipient = getRecipient;
            AddMailboxPermission = addMailboxPermission;
            Total = getMailbox + newMailbox + setMailbox + getRecipient + addMailboxPermission;
            Failed = failed;
            AddressesAdded = addressesAdded;
            AddressesRemoved = addressesRemoved;
        }

        /// <summary>The tenant (organization) the counters belong to.</summary>
        public string Tenant { get; }

        public int GetMailbox { get; }
        public int NewMailbox { get; }
        public int SetMailbox { get; }
        public int GetRecipient { get; }
        public int AddMailboxPermission { get; }

        /// <summary>The sum of the five command counters.</summary>
        public int Total { get; }

        /// <summary>Calls that ended in an error, injected faults included.</summary>
        public int Failed { get; }

        /// <summary>Proxy addresses added to existing mailboxes by Set-Mailbox.</summary>
        public int AddressesAdded { get; }

        /// <summary>Proxy addresses removed from mailboxes by Set-Mailbox.</summary>
        public int AddressesRemoved { get; }
    }
}
