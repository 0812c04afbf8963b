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
    public abstract class RootMailCmdlet : PSCmdlet
    {
        readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        RegistrySession? _session;
        SessionExchange? _exchange;
        long _requestsAtStart, _queriesAtStart;
        readonly int _progressId = Math.Abs(Guid.NewGuid().GetHashCode() % 100000) + 1;
        IOperationHost? _operationHost;

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
            _queriesAtStart = _session.QueryCount;
        }

        protected override void EndProcessing()
        {
            if (_session != null)
                WriteVerbose($"RootMail: {_session.RequestCount - _requestsAtStart} registry requests ({_session.QueryCount - _queriesAtStart} queries), {_exchange?.Calls ?? 0} Exchange commands.");
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

        /// <summary>The core's view of this cmdlet. Kept out of the cmdlet's own type, so that PowerShell can inspect the
        /// cmdlets at import without loading RootMail.Core (which lives in RootMail's load context).</summary>
        internal IOperationHost OperationHost => _operationHost ??= new CmdletHost(this, _cancel.Token, _progressId);
    }

    /// <summary>The core's host port over a cmdlet: ShouldProcess, WriteVerbose, WriteWarning, WriteProgress, Ctrl+C.</summary>
    internal sealed class CmdletHost : IOperationHost
    {
        readonly PSCmdlet _cmdlet;
        readonly int _progressId;

        public CmdletHost(PSCmdlet cmdlet, CancellationToken cancellation, int progressId)
        {
            _cmdlet = cmdlet;
            Cancellation = cancellation;
            _progressId = progressId;
        }

        public CancellationToken Cancellation { get; }
        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);
        public void Verbose(string message) => _cmdlet.WriteVerbose(message);
        public void Warning(string message) => _cmdlet.WriteWarning(message);

        public void Progress(string activity, string status, int percent, bool completed)
        {
            var record = new ProgressRecord(_progressId, activity, status)
            {
                PercentComplete = Math.Min(100, percent),
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
        }
    }
}
