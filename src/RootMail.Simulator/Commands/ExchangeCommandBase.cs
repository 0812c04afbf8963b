using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// One of the five counted Exchange commands. Each ProcessRecord counts one call, applies the tenant's
    /// injected faults (latency, transient and throttling errors before anything happens, or a transient error
    /// after the change was applied) and writes Exchange errors as non-terminating errors.
    /// </summary>
    public abstract class ExchangeCommandBase : SimulatorCommandBase, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        internal abstract ExchangeCommand Command { get; }

        /// <summary>The object errors are reported against (usually -Identity).</summary>
        internal abstract object? ErrorTarget { get; }

        /// <summary>
        /// Does the command's work, adding its output to <paramref name="output"/>. Returns false when nothing was
        /// done because ShouldProcess declined (-WhatIf). Throws <see cref="ExoSimulatorException"/> on errors.
        /// </summary>
        internal abstract bool Execute(Tenant tenant, List<object> output);

        protected override void ProcessRecord()
        {
            Tenant tenant = RequireTenant();
            FaultDecision fault = tenant.BeginCall(Command);

            if (fault.LatencyMilliseconds > 0 && _stopping.Token.WaitHandle.WaitOne(fault.LatencyMilliseconds))
            {
                return; // Ctrl+C / StopProcessing: the engine ends the pipeline
            }

            if (fault.Before != InjectedFailure.None)
            {
                tenant.CountFailure();
                WriteExchangeError(
                    fault.Before == InjectedFailure.Throttled ? new ThrottlingException() : (ExoSimulatorException)new TransientServerException(),
                    ErrorTarget);
                return;
            }

            var output = new List<object>();
            bool done;
            try
            {
                done = Execute(tenant, output);
            }
            catch (ExoSimulatorException e)
            {
                tenant.CountFailure();
                WriteExchangeError(e, ErrorTarget);
                return;
            }

            if (done && fault.FailAfterApply)
            {
                // As a call that timed out after the server applied it: the change is there, the caller sees an error.
                tenant.CountFailure();
                WriteExchangeError(new TransientServerException(), ErrorTarget);
                return;
            }

            foreach (object o in output)
            {
                WriteObject(o);
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
