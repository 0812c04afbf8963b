using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using RootMail.Exchange;

namespace RootMail.Commands
{
    /// <summary>
    /// The production Exchange adapter: runs Get-Mailbox, New-Mailbox, Set-Mailbox and Get-Recipient as the caller's
    /// session resolves them, so the same code drives ExchangeOnlineManagement after Connect-ExchangeOnline, the
    /// RootMail.Simulator module, or a Pester Mock. Only the parameters of SPEC.md's table are passed. Exchange's
    /// own error messages are read to tell a taken address, a missing object and the proxy limit apart.
    /// </summary>
    internal sealed class SessionExchange : IExchange
    {
        static readonly Regex InUse = new Regex("proxy address \"(?:smtp:)?([^\"]+)\" is already being used", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        static readonly Regex NotFound = new Regex("couldn't be found|could not be found|ManagementObjectNotFound", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        static readonly Regex ProxyLimit = new Regex("maximum (supported |allowed )?number of (recipient )?proxy addresses|proxy addresses permitted", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        static readonly Regex Transient = new Regex(
            "try again later|internal error|server is busy|ServerBusy|temporarily unavailable|throttl|Micro delay|timed out|timeout|\\(50[234]\\)|\\b429\\b|connection was closed|A task was canceled",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        static readonly Regex RetryAfter = new Regex("retry after (\\d+) (second|minute)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        const string NotConnectedText = "Connect-ExchangeOnline";

        readonly RootMailCmdlet _cmdlet;
        readonly Dictionary<string, CommandInfo> _commands = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);
        ScriptBlock? _runner;

        public SessionExchange(RootMailCmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>Exchange commands run through this adapter.</summary>
        public int Calls { get; private set; }

        public void EnsureAvailable()
        {
            Resolve("Get-Mailbox");
            Resolve("Set-Mailbox");
        }

        public ExchangeMailbox? GetMailbox(string identity)
        {
            try { return ToMailbox(Run("Get-Mailbox", new Hashtable { ["Identity"] = identity }).FirstOrDefault()); }
            catch (ExchangeObjectNotFoundException) { return null; }
        }

        public ExchangeMailbox NewSharedMailbox(string name, string displayName, string alias, string primarySmtpAddress)
        {
            var created = Run("New-Mailbox", new Hashtable
            {
                ["Shared"] = new SwitchParameter(true), ["Name"] = name, ["DisplayName"] = displayName, ["Alias"] = alias, ["PrimarySmtpAddress"] = primarySmtpAddress,
            }).FirstOrDefault();
            return ToMailbox(created) ?? GetMailbox(primarySmtpAddress)
                ?? throw new ExchangeCommandException("New-Mailbox", $"New-Mailbox returned no mailbox and Get-Mailbox cannot find '{primarySmtpAddress}'.");
        }

        public void AddAddresses(string identity, IReadOnlyList<string> addresses)
            => Run("Set-Mailbox", new Hashtable { ["Identity"] = identity, ["EmailAddresses"] = new Hashtable { ["Add"] = addresses.Select(a => "smtp:" + a).ToArray() } });

        public void RemoveAddresses(string identity, IReadOnlyList<string> addresses)
            => Run("Set-Mailbox", new Hashtable { ["Identity"] = identity, ["EmailAddresses"] = new Hashtable { ["Remove"] = addresses.Select(a => "smtp:" + a).ToArray() } });

        public void ConfigurePoolMailbox(string identity, PoolMailboxSettings settings)
        {
            var parameters = new Hashtable
            {
                ["Identity"] = identity,
                ["HiddenFromAddressListsEnabled"] = true,
                ["CustomAttribute1"] = settings.CustomAttribute1,
            };
            if (settings.ForwardingSmtpAddress != null)
            {
                parameters["ForwardingSmtpAddress"] = "smtp:" + settings.ForwardingSmtpAddress;
                parameters["DeliverToMailboxAndForward"] = true;
            }
            Run("Set-Mailbox", parameters);
        }

        public ExchangeRecipient? FindRecipientByAddress(string address)
        {
            var found = Run("Get-Recipient", new Hashtable { ["Filter"] = $"EmailAddresses -eq 'smtp:{address}'" }).FirstOrDefault();
            return found is null ? null : new ExchangeRecipient(Text(found, "Name"), Text(found, "PrimarySmtpAddress"), Text(found, "RecipientTypeDetails"));
        }

        Collection<PSObject> Run(string command, Hashtable parameters)
        {
            var info = Resolve(command);
            _runner ??= _cmdlet.InvokeCommand.NewScriptBlock(
                "param($__rmCommand, $__rmParameters) $ErrorActionPreference = 'Stop'; $ConfirmPreference = 'None'; $WhatIfPreference = $false; & $__rmCommand @__rmParameters");
            _cmdlet.WriteDebug($"Exchange: {command} {Describe(parameters)}");
            Calls++;
            try
            {
                return _cmdlet.InvokeCommand.InvokeScript(true, _runner, null, info, parameters);
            }
            catch (PipelineStoppedException)
            {
                throw; // Ctrl+C: whether Exchange applied the call is unknown, so the caller's reservations stay Reserved
            }
            catch (RuntimeException ex)
            {
                throw Translate(command, ex);
            }
        }

        CommandInfo Resolve(string command)
        {
            if (_commands.TryGetValue(command, out var known)) return known;
            var info = _cmdlet.InvokeCommand.GetCommand(command, CommandTypes.Function | CommandTypes.Cmdlet | CommandTypes.Alias);
            if (info is null) throw Errors.ExchangeNotConnected(command);
            _commands[command] = info;
            return info;
        }

        static Exception Translate(string command, RuntimeException ex)
        {
            var inner = ex.ErrorRecord?.Exception ?? ex;
            if (inner is ActionPreferenceStopException stop && stop.ErrorRecord?.Exception != null) inner = stop.ErrorRecord.Exception;
            var message = inner.Message;
            if (ex is CommandNotFoundException || message.IndexOf(NotConnectedText, StringComparison.OrdinalIgnoreCase) >= 0)
                return Errors.ExchangeNotConnected(command);
            var inUse = InUse.Match(message);
            if (inUse.Success) return new ExchangeAddressInUseException(command, inUse.Groups[1].Value.ToLowerInvariant(), message, ex);
            if (NotFound.IsMatch(message)) return new ExchangeObjectNotFoundException(command, message, ex);
            if (ProxyLimit.IsMatch(message)) return new ExchangeProxyLimitException(command, message, ex);
            if (Transient.IsMatch(message))
            {
                var after = RetryAfter.Match(message);
                TimeSpan? wait = after.Success
                    ? TimeSpan.FromSeconds(int.Parse(after.Groups[1].Value) * (after.Groups[2].Value.StartsWith("m", StringComparison.OrdinalIgnoreCase) ? 60 : 1))
                    : (TimeSpan?)null;
                return new ExchangeTransientException(command, message, wait, ex);
            }
            return new ExchangeCommandException(command, message, ex);
        }

        static ExchangeMailbox? ToMailbox(PSObject? mailbox)
        {
            if (mailbox is null) return null;
            var addresses = new List<string>();
            if (mailbox.Properties["EmailAddresses"]?.Value is object value)
            {
                if (value is PSObject wrapped) value = wrapped.BaseObject;
                if (value is IEnumerable list && !(value is string)) foreach (var a in list) { if (a != null) addresses.Add(a.ToString()!); }
                else addresses.Add(value.ToString()!);
            }
            return new ExchangeMailbox(Text(mailbox, "Name"), Text(mailbox, "PrimarySmtpAddress"), Text(mailbox, "RecipientTypeDetails"), addresses);
        }

        static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString() ?? "";

        static string Describe(Hashtable parameters)
        {
            var parts = new List<string>();
            foreach (DictionaryEntry p in parameters)
            {
                var value = p.Value is Hashtable h
                    ? "@{" + string.Join("; ", h.Cast<DictionaryEntry>().Select(e => $"{e.Key}={((Array)e.Value!).Length} addresses")) + "}"
                    : p.Value is SwitchParameter ? "" : "'" + p.Value + "'";
                parts.Add(value.Length == 0 ? "-" + p.Key : $"-{p.Key} {value}");
            }
            return string.Join(" ", parts);
        }
    }
}
