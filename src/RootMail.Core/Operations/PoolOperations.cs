using System;
using System.Collections.Generic;
using System.Linq;
using RootMail.Exchange;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    /// <summary>The settings change requested by Set-AwsRootPool; null means "leave as it is".</summary>
    public sealed class PoolChange
    {
        public string? Domain { get; set; }
        public string? AddressTemplate { get; set; }
        public int? MailboxCapacity { get; set; }
        /// <summary>An address, or "" to clear forwarding.</summary>
        public string? ForwardingAddress { get; set; }
        public string? MailboxNamePrefix { get; set; }
    }

    public sealed class PoolOperations : OperationsBase
    {
        static readonly System.Text.RegularExpressions.Regex PrefixPattern = new System.Text.RegularExpressions.Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$");

        public PoolOperations(RegistrySession session, IOperationHost host) : base(session, host, () => throw new InvalidOperationException("Pools do not use Exchange.")) { }

        /// <summary>Creates the pool or changes the given settings; returns the pool, or null under -WhatIf.</summary>
        public AwsRootPool? Set(string poolName, PoolChange change)
        {
            var pool = Validate.PoolName(poolName);
            var domain = change.Domain is null ? null : Validate.Domain(change.Domain);
            var capacity = change.MailboxCapacity is int c ? Validate.Capacity("MailboxCapacity", c) : (int?)null;
            var forwarding = change.ForwardingAddress is null ? null : change.ForwardingAddress.Length == 0 ? "" : Validate.Email("ForwardingAddress", change.ForwardingAddress);
            if (change.MailboxNamePrefix != null && !PrefixPattern.IsMatch(change.MailboxNamePrefix))
                throw new RootMailException("RootMail.InvalidMailboxNamePrefix",
                    $"-MailboxNamePrefix '{change.MailboxNamePrefix}' is not usable: 1 to 41 letters, digits, '.', '-' or '_', starting with a letter or digit.", ErrorKind.InvalidArgument, change.MailboxNamePrefix);

            AwsRootPool? result = null;
            Retry("saving pool " + pool, () =>
            {
                var existing = Registry.Get<PoolRow>(Keys.Pool(pool), Cancel);
                if (existing is null && domain is null) throw Errors.PoolDomainRequired(pool);
                var row = existing ?? new PoolRow
                {
                    RowKey = Keys.Pool(pool), Name = pool, AddressTemplate = Limits.DefaultAddressTemplate,
                    MailboxCapacity = Limits.DefaultMailboxCapacity, MailboxNamePrefix = Limits.DefaultMailboxNamePrefix, CreatedAt = Now,
                };
                if (domain != null) row.Domain = domain;
                if (change.AddressTemplate != null) row.AddressTemplate = change.AddressTemplate;
                if (capacity != null) row.MailboxCapacity = capacity.Value;
                if (forwarding != null) row.ForwardingAddress = forwarding.Length == 0 ? null : forwarding;
                if (change.MailboxNamePrefix != null) row.MailboxNamePrefix = change.MailboxNamePrefix;
                // The template is checked against the final domain, so both can change in one call.
                row.AddressTemplate = AddressTemplate.Parse(row.AddressTemplate, row.Domain).Text;

                var action = existing is null
                    ? $"Create pool (domain {row.Domain}, template {row.AddressTemplate}, {row.MailboxCapacity} aliases per mailbox)"
                    : "Update pool settings: " + Describe(change);
                if (!Host.ShouldProcess("pool " + pool, action)) return true;
                if (existing is null) Registry.Insert(row, Cancel);
                else Registry.Submit(new[] { Replace(row, row.ETag) }, Cancel);
                result = row.ToPool();
                Host.Verbose($"{(existing is null ? "Created" : "Updated")} pool '{pool}'.");
                return true;
            });
            return result;
        }

        /// <summary>One pool, or every pool when no name is given.</summary>
        public IEnumerable<AwsRootPool> Get(string? poolName)
        {
            if (poolName != null)
            {
                var pool = Validate.PoolName(poolName);
                return new[] { ReadPool(pool).ToPool() };
            }
            return Registry.Query<PoolRow>(Keys.PoolPrefix, null, null, Cancel).Select(r => r.ToPool());
        }

        static string Describe(PoolChange c)
        {
            var parts = new List<string>();
            if (c.Domain != null) parts.Add("Domain=" + c.Domain);
            if (c.AddressTemplate != null) parts.Add("AddressTemplate=" + c.AddressTemplate);
            if (c.MailboxCapacity != null) parts.Add("MailboxCapacity=" + c.MailboxCapacity);
            if (c.ForwardingAddress != null) parts.Add("ForwardingAddress=" + (c.ForwardingAddress.Length == 0 ? "(none)" : c.ForwardingAddress));
            if (c.MailboxNamePrefix != null) parts.Add("MailboxNamePrefix=" + c.MailboxNamePrefix);
            return parts.Count == 0 ? "no change" : string.Join(", ", parts);
        }
    }
}
