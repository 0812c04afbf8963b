using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace RootMail.Simulator
{
    /// <summary>How Set-Mailbox -EmailAddresses changes the proxy addresses.</summary>
    internal sealed class EmailAddressChange
    {
        private EmailAddressChange(List<ProxyEntry>? replace, List<ProxyEntry> add, List<ProxyEntry> remove)
        {
            Replace = replace;
            Add = add;
            Remove = remove;
        }

        /// <summary>A plain list: the new complete set. Null for @{Add=..;Remove=..}.</summary>
        public List<ProxyEntry>? Replace { get; }
        public List<ProxyEntry> Add { get; }
        public List<ProxyEntry> Remove { get; }

        public static EmailAddressChange ForReplace(List<ProxyEntry> entries) =>
            new EmailAddressChange(entries, new List<ProxyEntry>(), new List<ProxyEntry>());

        public static EmailAddressChange ForModify(List<ProxyEntry> add, List<ProxyEntry> remove) =>
            new EmailAddressChange(null, add, remove);
    }

    /// <summary>Everything one Set-Mailbox call asks for, parsed and syntax-checked before the tenant lock.</summary>
    internal sealed class SetMailboxRequest
    {
        public EmailAddressChange? EmailAddresses { get; set; }
        public bool ForwardingAddressSet { get; set; }
        public string? ForwardingAddress { get; set; }
        public bool ForwardingSmtpAddressSet { get; set; }
        public string? ForwardingSmtpAddress { get; set; }
        public bool? DeliverToMailboxAndForward { get; set; }
        public bool? HiddenFromAddressListsEnabled { get; set; }
        public Dictionary<int, string?> CustomAttributes { get; } = new Dictionary<int, string?>();
    }

    /// <summary>
    /// One simulated Exchange Online organization: its accepted domains, shared mailboxes, call statistics
    /// and fault settings. Every read and write happens under <see cref="_sync"/>; address, name, alias and
    /// GUID lookups are dictionary lookups, so each identity or proxy address resolves in O(1).
    /// </summary>
    internal sealed class Tenant
    {
        internal const int MaxProxyAddresses = 400;
        internal const int MaxNameLength = 64;
        internal const int MaxAliasLength = 64;
        internal const int MaxDisplayNameLength = 256;
        internal const int MaxCustomAttributeLength = 1024;

        private readonly object _sync = new object();
        private readonly HashSet<string> _acceptedDomains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<SimMailbox> _mailboxes = new List<SimMailbox>();
        private readonly Dictionary<string, SimMailbox> _byAddress = new Dictionary<string, SimMailbox>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, SimMailbox> _byName = new Dictionary<string, SimMailbox>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<SimMailbox>> _byAlias = new Dictionary<string, List<SimMailbox>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<Guid, SimMailbox> _byGuid = new Dictionary<Guid, SimMailbox>();

        private readonly int[] _calls = new int[5];
        private int _failed;
        private int _addressesAdded;
        private int _addressesRemoved;

        private FaultSettings? _faults;
        private int _faultCallNumber;
        private Random _random = new Random();

        public Tenant(string organization)
        {
            Organization = organization;
            _acceptedDomains.Add(organization);
        }

        /// <summary>The organization name, also the tenant's initial domain (<c>x.onmicrosoft.com</c>).</summary>
        public string Organization { get; }

        public void AddAcceptedDomains(IEnumerable<string> domains)
        {
            lock (_sync)
            {
                foreach (string d in domains)
                {
                    _acceptedDomains.Add(d);
                }
            }
        }

        public string[] AcceptedDomains()
        {
            lock (_sync)
            {
                return _acceptedDomains.OrderBy(d => d, StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }

        /// <summary>Empties the tenant (mailboxes, statistics, faults) but keeps its accepted domains.</summary>
        public void Reset()
        {
            lock (_sync)
            {
                _mailboxes.Clear();
                _byAddress.Clear();
                _byName.Clear();
                _byAlias.Clear();
                _byGuid.Clear();
                ResetStatistics();
                _faults = null;
                _faultCallNumber = 0;
                _random = new Random();
            }
        }

        #region Statistics and faults

        /// <summary>Counts a call and decides which faults it gets.</summary>
        public FaultDecision BeginCall(ExchangeCommand command)
        {
            lock (_sync)
            {
                _calls[(int)command]++;
                FaultSettings? f = _faults;
                if (f == null || !f.Commands.Contains(command))
                {
                    return FaultDecision.None;
                }

                int number = ++_faultCallNumber;

                // Always draw three numbers so that a seeded sequence does not depend on which rates are set.
                double failure = _random.NextDouble();
                double throttle = _random.NextDouble();
                double afterApply = _random.NextDouble();

                InjectedFailure before = InjectedFailure.None;
                bool failAfterApply = false;
                if (f.FailOnCall.Contains(number) || failure < f.FailureRate)
                {
                    before = InjectedFailure.Transient;
                }
                else if (throttle < f.ThrottleRate)
                {
                    before = InjectedFailure.Throttled;
                }
                else if (afterApply < f.FailAfterApplyRate)
                {
                    failAfterApply = true;
                }

                return new FaultDecision(f.LatencyMilliseconds, before, failAfterApply);
            }
        }

        public void CountFailure()
        {
            lock (_sync)
            {
                _failed++;
            }
        }

        public void SetFaults(FaultSettings? settings)
        {
            lock (_sync)
            {
                _faults = settings;
                _faultCallNumber = 0;
                _random = settings?.Seed is int seed ? new Random(seed) : new Random();
            }
        }

        public ExoSimulatorStatistic GetStatistics(bool reset)
        {
            lock (_sync)
            {
                var s = new ExoSimulatorStatistic(
                    Organization,
                    _calls[(int)ExchangeCommand.GetMailbox],
                    _calls[(int)ExchangeCommand.NewMailbox],
                    _calls[(int)ExchangeCommand.SetMailbox],
                    _calls[(int)ExchangeCommand.GetRecipient],
                    _calls[(int)ExchangeCommand.AddMailboxPermission],
                    _failed,
                    _addressesAdded,
                    _addressesRemoved);
                if (reset)
                {
                    ResetStatistics();
                }

                return s;
            }
        }

        private void ResetStatistics()
        {
            Array.Clear(_calls, 0, _calls.Length);
            _failed = 0;
            _addressesAdded = 0;
            _addressesRemoved = 0;
        }

        #endregion

        #region Reads

        /// <summary>
        /// Mailboxes by identity (wildcards allowed), by filter, or all of them when <paramref name="identity"/>
        /// is empty, as Exchange does. At most <paramref name="limit"/> results; <paramref name="more"/> says
        /// whether some were left out.
        /// </summary>
        public List<MailboxSnapshot> Find(string? identity, OPathFilter? filter, int limit, out bool more)
        {
            lock (_sync)
            {
                IEnumerable<SimMailbox> candidates;
                if (!string.IsNullOrEmpty(identity))
                {
                    if (WildcardPattern.ContainsWildcardCharacters(identity))
                    {
                        var pattern = new WildcardPattern(identity, WildcardOptions.IgnoreCase);
                        var matches = _mailboxes.Where(m =>
                            pattern.IsMatch(m.Name) || pattern.IsMatch(m.Alias) || pattern.IsMatch(m.PrimarySmtpAddress)).ToList();
                        if (matches.Count == 0)
                        {
                            throw new ManagementObjectNotFoundException(ExoMessages.NotFound(identity!));
                        }

                        candidates = matches;
                    }
                    else
                    {
                        candidates = new[] { ResolveOne(identity!) };
                    }
                }
                else if (filter?.ExactAddress is string address)
                {
                    candidates = _byAddress.TryGetValue(address, out SimMailbox? owner) ? new[] { owner } : Array.Empty<SimMailbox>();
                }
                else
                {
                    candidates = _mailboxes;
                }

                var result = new List<MailboxSnapshot>();
                more = false;
                foreach (SimMailbox m in candidates)
                {
                    if (filter != null && !filter.Matches(m))
                    {
                        continue;
                    }

                    if (result.Count >= limit)
                    {
                        more = true;
                        break;
                    }

                    result.Add(m.Snapshot());
                }

                return result;
            }
        }

        /// <summary>The permissions recorded on a mailbox, one entry per user.</summary>
        public List<PSObject> GetPermissions(string identity, string? user)
        {
            var result = new List<PSObject>();
            string name;
            var groups = new List<SimPermission[]>();
            lock (_sync)
            {
                SimMailbox m = ResolveOne(identity);
                name = m.Name;
                foreach (IGrouping<string, SimPermission> group in m.Permissions.GroupBy(p => p.User, StringComparer.OrdinalIgnoreCase))
                {
                    if (user == null || string.Equals(group.Key, user, StringComparison.OrdinalIgnoreCase))
                    {
                        groups.Add(group.ToArray());
                    }
                }
            }

            foreach (SimPermission[] group in groups)
            {
                result.Add(MailboxSnapshot.ToPermission(name, group[0].User, group.Select(p => p.AccessRight).ToArray(), group[0].InheritanceType));
            }

            return result;
        }

        #endregion

        #region Writes

        /// <summary>Creates a shared mailbox; throws the Exchange error and changes nothing when anything is wrong.</summary>
        public MailboxSnapshot NewMailbox(string name, string? displayName, string? alias, string? primarySmtpAddress)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new DataValidationException(ExoMessages.EmptyName);
            }

            if (name.Length > MaxNameLength)
            {
                throw new DataValidationException(ExoMessages.TooLong(MaxNameLength, name.Length));
            }

            displayName = string.IsNullOrEmpty(displayName) ? name : displayName;
            if (displayName!.Length > MaxDisplayNameLength)
            {
                throw new DataValidationException(ExoMessages.TooLong(MaxDisplayNameLength, displayName.Length));
            }

            if (string.IsNullOrEmpty(alias))
            {
                alias = AliasFromName(name);
            }
            else if (!IsValidAlias(alias!))
            {
                throw new DataValidationException(ExoMessages.InvalidAlias(alias!));
            }

            bool primaryGiven = !string.IsNullOrEmpty(primarySmtpAddress);
            string primary = primaryGiven ? SmtpAddress.StripSmtpPrefix(primarySmtpAddress!) : alias + "@" + Organization;
            if (!SmtpAddress.IsValid(primary))
            {
                throw new DataValidationException(ExoMessages.InvalidAddress(primary));
            }

            string initial = alias + "@" + Organization;
            if (!SmtpAddress.IsValid(initial))
            {
                throw new DataValidationException(ExoMessages.InvalidAddress(initial));
            }

            lock (_sync)
            {
                if (_byName.ContainsKey(name))
                {
                    throw new ADObjectAlreadyExistsException(ExoMessages.NameInUse(name));
                }

                string domain = SmtpAddress.DomainOf(primary);
                if (!_acceptedDomains.Contains(domain))
                {
                    throw new RecipientTaskException(ExoMessages.DomainNotAccepted(domain, "SMTP:" + primary));
                }

                if (_byAddress.TryGetValue(primary, out SimMailbox? owner))
                {
                    throw new ProxyAddressExistsException(ExoMessages.ProxyInUse("SMTP:" + primary, owner.Name));
                }

                bool separateInitial = !string.Equals(primary, initial, StringComparison.OrdinalIgnoreCase);
                if (separateInitial && _byAddress.TryGetValue(initial, out owner))
                {
                    throw new ProxyAddressExistsException(ExoMessages.ProxyInUse("smtp:" + initial, owner.Name));
                }

                var m = new SimMailbox(name, alias!, displayName, primary, primary);
                if (separateInitial)
                {
                    m.Secondaries.Add(initial);
                }

                _mailboxes.Add(m);
                _byName[name] = m;
                if (!_byAlias.TryGetValue(m.Alias, out List<SimMailbox>? sameAlias))
                {
                    _byAlias[m.Alias] = sameAlias = new List<SimMailbox>(1);
                }

                sameAlias.Add(m);
                _byGuid[m.Guid] = m;
                _byGuid[m.ExternalDirectoryObjectId] = m;
                foreach (string a in m.AllAddresses())
                {
                    _byAddress[a] = m;
                }

                return m.Snapshot();
            }
        }

        /// <summary>
        /// Applies one Set-Mailbox call atomically: everything is validated first, and on any error nothing
        /// changes.
        /// </summary>
        public void SetMailbox(string identity, SetMailboxRequest request)
        {
            lock (_sync)
            {
                SimMailbox m = ResolveOne(identity);

                string? forwardingName = null;
                if (request.ForwardingAddressSet && !string.IsNullOrEmpty(request.ForwardingAddress))
                {
                    forwardingName = ResolveOne(request.ForwardingAddress!).Name;
                }

                string newPrimary = m.PrimarySmtpAddress;
                List<string>? newSecondaries = null;
                if (request.EmailAddresses != null)
                {
                    newSecondaries = request.EmailAddresses.Replace != null
                        ? PlanReplace(m, request.EmailAddresses.Replace, out newPrimary)
                        : PlanModify(m, request.EmailAddresses, out newPrimary);

                    int count = 1 + newSecondaries.Count;
                    if (count > MaxProxyAddresses)
                    {
                        throw new ProxyAddressLimitExceededException(ExoMessages.ProxyLimit(m.Name, count));
                    }
                }

                // Everything is valid: apply.
                if (newSecondaries != null)
                {
                    var before = new HashSet<string>(m.AllAddresses(), StringComparer.OrdinalIgnoreCase);
                    var after = new HashSet<string>(newSecondaries, StringComparer.OrdinalIgnoreCase) { newPrimary };
                    foreach (string gone in before.Where(a => !after.Contains(a)))
                    {
                        _byAddress.Remove(gone);
                        _addressesRemoved++;
                    }

                    foreach (string added in after.Where(a => !before.Contains(a)))
                    {
                        _byAddress[added] = m;
                        _addressesAdded++;
                    }

                    m.PrimarySmtpAddress = newPrimary;
                    m.Secondaries.Clear();
                    m.Secondaries.AddRange(newSecondaries);
                }

                if (request.ForwardingAddressSet)
                {
                    m.ForwardingAddress = forwardingName;
                }

                if (request.ForwardingSmtpAddressSet)
                {
                    m.ForwardingSmtpAddress = request.ForwardingSmtpAddress;
                }

                if (request.DeliverToMailboxAndForward is bool deliver)
                {
                    m.DeliverToMailboxAndForward = deliver;
                }

                if (request.HiddenFromAddressListsEnabled is bool hidden)
                {
                    m.HiddenFromAddressListsEnabled = hidden;
                }

                foreach (KeyValuePair<int, string?> attribute in request.CustomAttributes)
                {
                    m.CustomAttributes[attribute.Key - 1] = string.IsNullOrEmpty(attribute.Value) ? null : attribute.Value;
                }

                m.WhenChanged = DateTime.UtcNow;
            }
        }

        /// <summary>Records mailbox permissions; returns the mailbox's name.</summary>
        public string AddPermission(string identity, string user, IEnumerable<string> accessRights, bool autoMapping, string inheritanceType)
        {
            lock (_sync)
            {
                SimMailbox m = ResolveOne(identity);
                foreach (string right in accessRights)
                {
                    SimPermission? existing = m.Permissions.FirstOrDefault(p =>
                        string.Equals(p.User, user, StringComparison.OrdinalIgnoreCase) &&
                        string.Equals(p.AccessRight, right, StringComparison.OrdinalIgnoreCase));
                    if (existing != null)
                    {
                        existing.AutoMapping = autoMapping;
                    }
                    else
                    {
                        m.Permissions.Add(new SimPermission(user, right, inheritanceType, autoMapping));
                    }
                }

                m.WhenChanged = DateTime.UtcNow;
                return m.Name;
            }
        }

        #endregion

        #region Address planning (under the lock, no changes)

        private List<string> PlanReplace(SimMailbox m, List<ProxyEntry> entries, out string primary)
        {
            if (entries.Count == 0)
            {
                throw new RecipientTaskException(ExoMessages.EmptyAddressList);
            }

            var primaries = entries.Where(e => e.IsPrimary).Select(e => e.Address).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (primaries.Count > 1)
            {
                throw new DataValidationException(ExoMessages.MultiplePrimaries);
            }

            // Exchange: the SMTP: entry, or else the first address, is the primary.
            ProxyEntry primaryEntry = primaries.Count == 1 ? entries.First(e => e.IsPrimary) : entries[0];
            primary = primaryEntry.Address;
            CheckNewAddress(m, primaryEntry.Address, true);

            var secondaries = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { primary };
            foreach (ProxyEntry e in entries)
            {
                if (seen.Add(e.Address))
                {
                    CheckNewAddress(m, e.Address, false);
                    secondaries.Add(e.Address);
                }
            }

            return secondaries;
        }

        private List<string> PlanModify(SimMailbox m, EmailAddressChange change, out string primary)
        {
            string? newPrimary = null;
            foreach (ProxyEntry e in change.Add)
            {
                if (!e.IsPrimary)
                {
                    continue;
                }

                if (newPrimary != null && !string.Equals(newPrimary, e.Address, StringComparison.OrdinalIgnoreCase))
                {
                    throw new DataValidationException(ExoMessages.MultiplePrimaries);
                }

                newPrimary = e.Address;
            }

            primary = m.PrimarySmtpAddress;
            var removals = new HashSet<string>(change.Remove.Select(e => e.Address), StringComparer.OrdinalIgnoreCase);
            bool primaryChanges = newPrimary != null && !string.Equals(newPrimary, primary, StringComparison.OrdinalIgnoreCase);
            if (removals.Contains(primary) && !primaryChanges)
            {
                throw new RecipientTaskException(ExoMessages.RemovePrimary(primary, m.Name));
            }

            var secondaries = m.Secondaries.Where(s => !removals.Contains(s)).ToList();
            var present = new HashSet<string>(secondaries, StringComparer.OrdinalIgnoreCase);
            foreach (ProxyEntry e in change.Add)
            {
                if (e.IsPrimary ||
                    string.Equals(e.Address, primary, StringComparison.OrdinalIgnoreCase) ||
                    (newPrimary != null && string.Equals(e.Address, newPrimary, StringComparison.OrdinalIgnoreCase)) ||
                    present.Contains(e.Address))
                {
                    continue; // already there (or handled as the new primary): a silent no-op, as in Exchange
                }

                CheckNewAddress(m, e.Address, false);
                secondaries.Add(e.Address);
                present.Add(e.Address);
            }

            if (primaryChanges)
            {
                CheckNewAddress(m, newPrimary!, true);
                int index = secondaries.FindIndex(s => string.Equals(s, newPrimary, StringComparison.OrdinalIgnoreCase));
                if (index >= 0)
                {
                    secondaries.RemoveAt(index);
                }

                if (!removals.Contains(primary))
                {
                    secondaries.Insert(0, primary);
                }

                primary = newPrimary!;
            }

            return secondaries;
        }

        /// <summary>An address about to be put on <paramref name="m"/>: its domain must be accepted and no other recipient may hold it.</summary>
        private void CheckNewAddress(SimMailbox m, string address, bool asPrimary)
        {
            string proxy = (asPrimary ? "SMTP:" : "smtp:") + address;
            if (_byAddress.TryGetValue(address, out SimMailbox? owner))
            {
                if (ReferenceEquals(owner, m))
                {
                    return;
                }

                throw new ProxyAddressExistsException(ExoMessages.ProxyInUse(proxy, owner.Name));
            }

            string domain = SmtpAddress.DomainOf(address);
            if (!_acceptedDomains.Contains(domain))
            {
                throw new RecipientTaskException(ExoMessages.DomainNotAccepted(domain, proxy));
            }
        }

        #endregion

        #region Identity resolution

        /// <summary>
        /// Resolves an identity (Name, Alias, any proxy address with or without <c>smtp:</c>, Guid or
        /// ExternalDirectoryObjectId, case-insensitive) to exactly one mailbox, or throws Exchange's error.
        /// </summary>
        private SimMailbox ResolveOne(string identity)
        {
            SimMailbox? found = null;
            bool ambiguous = false;

            void Consider(SimMailbox candidate)
            {
                if (found == null)
                {
                    found = candidate;
                }
                else if (!ReferenceEquals(found, candidate))
                {
                    ambiguous = true;
                }
            }

            if (Guid.TryParse(identity, out Guid guid) && _byGuid.TryGetValue(guid, out SimMailbox? byGuid))
            {
                Consider(byGuid);
            }

            if (_byName.TryGetValue(identity, out SimMailbox? byName))
            {
                Consider(byName);
            }

            if (_byAlias.TryGetValue(identity, out List<SimMailbox>? byAlias))
            {
                foreach (SimMailbox candidate in byAlias)
                {
                    Consider(candidate);
                }
            }

            if (_byAddress.TryGetValue(SmtpAddress.StripSmtpPrefix(identity), out SimMailbox? byAddress))
            {
                Consider(byAddress);
            }

            if (ambiguous)
            {
                throw new ManagementObjectAmbiguousException(ExoMessages.Ambiguous(identity));
            }

            return found ?? throw new ManagementObjectNotFoundException(ExoMessages.NotFound(identity));
        }

        #endregion

        #region Names and aliases

        private const string AliasSpecials = "!#$%&'*+-/=?^_`{|}~";

        internal static bool IsValidAlias(string alias)
        {
            if (alias.Length == 0 || alias.Length > MaxAliasLength || alias[0] == '.' || alias[alias.Length - 1] == '.' ||
                alias.IndexOf("..", StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            foreach (char c in alias)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          AliasSpecials.IndexOf(c) >= 0;
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Exchange's default alias: the name's letters, digits and <c>.-_</c>, dots only inside, at most 64.</summary>
        internal static string AliasFromName(string name)
        {
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                          (c == '.' && sb.Length > 0 && sb[sb.Length - 1] != '.');
                if (ok)
                {
                    sb.Append(c);
                }
            }

            string alias = sb.ToString();
            if (alias.Length > MaxAliasLength)
            {
                alias = alias.Substring(0, MaxAliasLength);
            }

            alias = alias.Trim('.');
            if (alias.Length == 0)
            {
                throw new DataValidationException(ExoMessages.AliasFromName(name));
            }

            return alias;
        }

        #endregion
    }
}
