using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using RootMail.Registry;

namespace RootMail.Commands
{
    /// <summary>
    /// The base of every RootMail cmdlet: owns the runspace's registry session, the Exchange adapter and
    /// cancellation (Ctrl+C), implements the core's host port with ShouldProcess, WriteVerbose, WriteWarning and
    /// WriteProgress, and turns RootMail exceptions into error records with stable ids.
    /// </summary>
    public abstract class RootMailCmdlet : PSCmdlet, IOperationHost
    {
        readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        RegistrySession? _session;
        SessionExchange? _exchange;
        long _requestsAtStart;
        readonly int _progressId = Math.Abs(Guid.NewGuid().GetHashCode() % 100000) + 1;

        /// <summary>False for the cmdlets that work without a connection (Connect, Disconnect).</summary>
        protected virtual bool NeedsRegistry => true;

        protected RegistrySession Session => _session ?? throw Errors.RegistryNotConnected();

        /// <summary>The Exchange adapter over this session's commands; created on first use.</summary>
        internal SessionExchange Exchange => _exchange ??= new SessionExchange(this);

        protected override void BeginProcessing()
        {
            if (!NeedsRegistry) return;
            _session = ConnectionStore.Current;
            if (_session is null) ThrowTerminatingError(ToErrorRecord(Errors.RegistryNotConnected()));
            _requestsAtStart = _session!.RequestCount;
        }

        protected override void EndProcessing()
        {
            if (_session != null)
                WriteVerbose($"RootMail: {_session.RequestCount - _requestsAtStart} registry requests, {_exchange?.Calls ?? 0} Exchange commands.");
        }

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Runs core work; a RootMail failure becomes a non-terminating error for this input, Ctrl+C stops the pipeline.</summary>
        protected void Invoke(Action work)
        {
            try { work(); }
            catch (RootMailException ex) { WriteError(ToErrorRecord(ex)); }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested) { throw new PipelineStoppedException(); }
        }

        /// <summary>Writes a lazily produced sequence object by object, so output streams.</summary>
        protected void WriteEach<T>(Func<IEnumerable<T>> produce) => Invoke(() =>
        {
            foreach (var item in produce()) WriteObject(item);
        });

        protected void WriteIfNotNull(object? item)
        {
            if (item != null) WriteObject(item);
        }

        protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        internal ErrorRecord ToErrorRecord(RootMailException ex)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), ex.Kind.ToString());
            var record = new ErrorRecord(ex, ex.ErrorId, category, ex.Target);
            return record;
        }

        // ---- IOperationHost

        bool IOperationHost.ShouldProcess(string target, string action) => ShouldProcess(target, action);
        void IOperationHost.Verbose(string message) => WriteVerbose(message);
        void IOperationHost.Warning(string message) => WriteWarning(message);
        CancellationToken IOperationHost.Cancellation => _cancel.Token;

        void IOperationHost.Progress(string activity, string status, int percent, bool completed)
        {
            var record = new ProgressRecord(_progressId, activity, status)
            {
                PercentComplete = Math.Min(100, percent),
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }
    }
}
