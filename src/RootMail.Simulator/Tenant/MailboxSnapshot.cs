using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace RootMail.Simulator
{
    /// <summary>
    /// An immutable copy of a mailbox taken under the tenant lock, turned into the PowerShell objects the
    /// commands return outside of it. Callers never hold a live reference to tenant state.
    /// </summary>
    internal sealed class MailboxSnapshot
    {
        internal const string MailboxTypeName = "Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox";
        internal const string RecipientTypeName = "Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient";
        internal const string PermissionTypeName = "Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject";

        private static readonly string[] MailboxTypeNames =
        {
            MailboxTypeName,
            "Deserialized.Microsoft.Exchange.Data.Directory.Management.MailEnabledOrgPerson",
            "Deserialized.Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
            "Deserialized.Microsoft.Exchange.Data.Directory.ADPresentationObject",
            "Deserialized.Microsoft.Exchange.Data.ConfigurableObject",
        };

        private static readonly string[] RecipientTypeNames =
        {
            RecipientTypeName,
            "Deserialized.Microsoft.Exchange.Data.Directory.ADPresentationObject",
            "Deserialized.Microsoft.Exchange.Data.ConfigurableObject",
        };

        private readonly Guid _guid;
        private readonly Guid _externalId;
        private readonly string _name;
        private readonly string _alias;
        private readonly string _displayName;
        private readonly string _primary;
        private readonly string[] _emailAddresses;
        private readonly string? _forwardingAddress;
        private readonly string? _forwardingSmtpAddress;
        private readonly bool _deliverAndForward;
        private readonly bool _hidden;
        private readonly string?[] _customAttributes;
        private readonly string _upn;
        private readonly DateTime _whenCreated;
        private readonly DateTime _whenChanged;

        public MailboxSnapshot(SimMailbox m)
        {
            _guid = m.Guid;
            _externalId = m.ExternalDirectoryObjectId;
            _name = m.Name;
            _alias = m.Alias;
            _displayName = m.DisplayName;
            _primary = m.PrimarySmtpAddress;
            _emailAddresses = m.EmailAddresses();
            _forwardingAddress = m.ForwardingAddress;
            _forwardingSmtpAddress = m.ForwardingSmtpAddress;
            _deliverAndForward = m.DeliverToMailboxAndForward;
            _hidden = m.HiddenFromAddressListsEnabled;
            _customAttributes = (string?[])m.CustomAttributes.Clone();
            _upn = m.UserPrincipalName;
            _whenCreated = m.WhenCreated;
            _whenChanged = m.WhenChanged;
        }

        public PSObject ToMailbox()
        {
            var o = new PSObject();
            Add(o, "Name", _name);
            Add(o, "Alias", _alias);
            Add(o, "DisplayName", _displayName);
            Add(o, "Identity", _name);
            Add(o, "Id", _name);
            Add(o, "Guid", _guid);
            Add(o, "ExchangeGuid", _guid);
            Add(o, "ExternalDirectoryObjectId", _externalId.ToString());
            Add(o, "PrimarySmtpAddress", _primary);
            Add(o, "WindowsEmailAddress", _primary);
            Add(o, "UserPrincipalName", _upn);
            Add(o, "EmailAddresses", (string[])_emailAddresses.Clone());
            Add(o, "EmailAddressPolicyEnabled", false);
            Add(o, "RecipientType", "UserMailbox");
            Add(o, "RecipientTypeDetails", "SharedMailbox");
            Add(o, "IsShared", true);
            Add(o, "ForwardingAddress", _forwardingAddress);
            Add(o, "ForwardingSmtpAddress", _forwardingSmtpAddress);
            Add(o, "DeliverToMailboxAndForward", _deliverAndForward);
            Add(o, "HiddenFromAddressListsEnabled", _hidden);
            AddCustomAttributes(o);
            Add(o, "WhenCreated", _whenCreated.ToLocalTime());
            Add(o, "WhenCreatedUTC", _whenCreated);
            Add(o, "WhenChanged", _whenChanged.ToLocalTime());
            Add(o, "WhenChangedUTC", _whenChanged);
            SetTypeNames(o, MailboxTypeNames);
            return o;
        }

        public PSObject ToRecipient()
        {
            var o = new PSObject();
            Add(o, "Name", _name);
            Add(o, "Alias", _alias);
            Add(o, "DisplayName", _displayName);
            Add(o, "Identity", _name);
            Add(o, "Id", _name);
            Add(o, "Guid", _guid);
            Add(o, "ExternalDirectoryObjectId", _externalId.ToString());
            Add(o, "PrimarySmtpAddress", _primary);
            Add(o, "WindowsLiveID", string.Empty);
            Add(o, "EmailAddresses", (string[])_emailAddresses.Clone());
            Add(o, "EmailAddressPolicyEnabled", false);
            Add(o, "RecipientType", "UserMailbox");
            Add(o, "RecipientTypeDetails", "SharedMailbox");
            Add(o, "HiddenFromAddressListsEnabled", _hidden);
            AddCustomAttributes(o);
            Add(o, "WhenCreated", _whenCreated.ToLocalTime());
            Add(o, "WhenChanged", _whenChanged.ToLocalTime());
            SetTypeNames(o, RecipientTypeNames);
            return o;
        }

        public static PSObject ToPermission(string identity, string user, string[] accessRights, string inheritanceType)
        {
            var o = new PSObject();
            Add(o, "Identity", identity);
            Add(o, "User", user);
            Add(o, "AccessRights", accessRights);
            Add(o, "IsInherited", false);
            Add(o, "Deny", false);
            Add(o, "InheritanceType", inheritanceType);
            SetTypeNames(o, new[] { PermissionTypeName });
            return o;
        }

        private void AddCustomAttributes(PSObject o)
        {
            for (int i = 0; i < _customAttributes.Length; i++)
            {
                Add(o, "CustomAttribute" + (i + 1).ToString(CultureInfo.InvariantCulture), _customAttributes[i] ?? string.Empty);
            }
        }

        private static void Add(PSObject o, string name, object? value) =>
            o.Properties.Add(new PSNoteProperty(name, value));

        private static void SetTypeNames(PSObject o, IList<string> names)
        {
            for (int i = names.Count - 1; i >= 0; i--)
            {
                o.TypeNames.Insert(0, names[i]);
            }
        }
    }
}
