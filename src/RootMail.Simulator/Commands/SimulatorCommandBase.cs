using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>Shared plumbing of every simulator cmdlet except Connect/Disconnect-ExchangeOnline.</summary>
    public abstract class SimulatorCommandBase : PSCmdlet
    {
        /// <summary>The tenant this runspace is connected to; a terminating error, as in EXO V3, when there is none.</summary>
        internal Tenant RequireTenant()
        {
            Tenant? tenant = TenantRegistry.Current;
            if (tenant == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException(ExoMessages.NotConnected),
                    "ExchangeOnlineNotConnected",
                    ErrorCategory.InvalidOperation,
                    null));
            }

            return tenant!;
        }

        internal void WriteExchangeError(ExoSimulatorException exception, object? target) =>
            WriteError(new ErrorRecord(exception, exception.GetType().Name, exception.Category, target));

        internal static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        /// <summary>A string, a collection of strings (object[] included) or anything else as its text.</summary>
        internal static List<string> ToStrings(object? value)
        {
            var result = new List<string>();
            value = Unwrap(value);
            switch (value)
            {
                case null:
                    break;
                case string s:
                    result.Add(s);
                    break;
                case IEnumerable items:
                    foreach (object? item in items)
                    {
                        object? v = Unwrap(item);
                        if (v != null)
                        {
                            result.Add(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty);
                        }
                    }

                    break;
                default:
                    result.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }

            return result;
        }

        /// <summary>Exchange's -ResultSize: a positive number or Unlimited; 1000 when absent.</summary>
        internal static int ParseResultSize(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return 1000;
            }

            if (value!.Equals("Unlimited", StringComparison.OrdinalIgnoreCase))
            {
                return int.MaxValue;
            }

            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) && size > 0)
            {
                return size;
            }

            throw new DataValidationException(ExoMessages.BadResultSize(value));
        }
    }
}
