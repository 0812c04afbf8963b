using System;
using System.Collections.Generic;

namespace RootMail.Simulator
{
    /// <summary>A mailbox permission entry (Add-MailboxPermission).</summary>
    internal sealed class SimPermission
    {
        public SimPermission(string user, string accessRight, string inheritanceType, bool autoMapping)
        {
            User = user;
            AccessRight = accessRight;
            InheritanceType = inheritanceType;
            AutoMapping = autoMapping;
        }

        public string User { get; }
        public string AccessRight { get; }
        public string InheritanceType { get; }
        public bool AutoMapping { get; set; }
    }

    /// <summary>
    /// The live, mutable state of one shared mailbox. Only touched under its tenant's lock; callers get
    /// <see cref="MailboxSnapshot"/>s.
    /// </summary>
    internal sealed class SimMailbox
    {
        public const int CustomAttributeCount = 15;

        public SimMailbox(string name, string alias, string displayName, string primary, string userPrincipalName)
        {
            Guid = Guid.NewGuid();
            ExternalDirectoryObjectId = Guid.NewGuid();
            Name = name;
            Alias = alias;
            DisplayName = displayName;
            PrimarySmtpAddress = primary;
            UserPrincipalName = userPrincipalName;
            WhenCreated = DateTime.UtcNow;
            WhenChanged = WhenCreated;
        }

        public Guid Guid { get; }
        public Guid ExternalDirectoryObjectId { get; }
        public string Name { get; }
        public string Alias { get; }
        public string DisplayName { get; }
        public string UserPrincipalName { get; }
        public DateTime WhenCreated { get; }
        public DateTime WhenChanged { get; set; }

        /// <summary>The primary SMTP address, without prefix.</summary>
        public string PrimarySmtpAddress { get; set; }

        /// <summary>Secondary SMTP addresses, without prefix, in the order they were added.</summary>
        public List<string> Secondaries { get; } = new List<string>();

        public string? ForwardingAddress { get; set; }
        public string? ForwardingSmtpAddress { get; set; }
        public bool DeliverToMailboxAndForward { get; set; }
        public bool HiddenFromAddressListsEnabled { get; set; }
        public string?[] CustomAttributes { get; } = new string?[CustomAttributeCount];
        public List<SimPermission> Permissions { get; } = new List<SimPermission>();

        /// <summary>Every proxy address counts against Exchange's 400: the primary and all secondaries.</summary>
        public int ProxyCount => 1 + Secondaries.Count;

        /// <summary>The EmailAddresses value as Exchange shows it: <c>SMTP:</c> primary first, then <c>smtp:</c> secondaries.</summary>
        public string[] EmailAddresses()
        {
            var result = new string[1 + Secondaries.Count];
            result[0] = "SMTP:" + PrimarySmtpAddress;
            for (int i = 0; i < Secondaries.Count; i++)
            {
                result[i + 1] = "smtp:" + Secondaries[i];
            }

            return result;
        }

        /// <summary>Every address (no prefixes), the primary first.</summary>
        public IEnumerable<string> AllAddresses()
        {
            yield return PrimarySmtpAddress;
            foreach (string s in Secondaries)
            {
                yield return s;
            }
        }

        public MailboxSnapshot Snapshot() => new MailboxSnapshot(this);
    }
}
