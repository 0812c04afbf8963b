using System;

namespace RootMail
{
    /// <summary>A message that arrived for a root alias, read through Microsoft Graph.</summary>
    public sealed class AwsRootMessage
    {
        public AwsRootMessage(DateTimeOffset receivedAt, string? from, string? subject, string? preview, string? code,
            string address, string mailbox, string messageId, string? body, string? accountId, string pool)
        {
            ReceivedAt = receivedAt;
            From = from;
            Subject = subject;
            Preview = preview;
            Code = code;
            Address = address;
            Mailbox = mailbox;
            MessageId = messageId;
            Body = body;
            AccountId = accountId;
            Pool = pool;
        }

        /// <summary>When the mailbox received it (UTC).</summary>
        public DateTimeOffset ReceivedAt { get; }
        /// <summary>The sender's address, e.g. no-reply@signup.aws.</summary>
        public string? From { get; }
        public string? Subject { get; }
        /// <summary>The start of the body on one line.</summary>
        public string? Preview { get; }
        /// <summary>The one-time or verification code found in the subject or body, or null.</summary>
        public string? Code { get; }
        /// <summary>The root alias the message was addressed to.</summary>
        public string Address { get; }
        /// <summary>The mailbox it was found in: the pool mailbox, or the pool's main mailbox it forwards to.</summary>
        public string Mailbox { get; }
        /// <summary>Graph's id of the message in <see cref="Mailbox"/>.</summary>
        public string MessageId { get; }
        /// <summary>The whole body as plain text (for links such as a password reset).</summary>
        public string? Body { get; }
        /// <summary>The AWS account the alias is registered to, if any.</summary>
        public string? AccountId { get; }
        public string Pool { get; }

        public override string ToString() => $"{ReceivedAt:u} {From}: {Subject}";
    }
}
