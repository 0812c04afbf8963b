using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace RootMail.Mail
{
    /// <summary>
    /// Finds the one-time or verification code in a message as AWS sends them: the 6-digit code of the sign-up and
    /// sign-in e-mail verifications ("Verification code" with the code on the next line, "Your verification code is:
    /// 482913"), the 6-character alphanumeric one-time password (OTP) that StartPrimaryEmailUpdate sends to the new
    /// address (AcceptPrimaryEmailUpdate takes ^[a-zA-Z0-9]{6}$), and MFA-style texts ("your code is 123456",
    /// "123456 is your code"). A pure function: no I/O, no state.
    /// </summary>
    public static class VerificationCode
    {
        const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);

        // A label, an optional "(OTP)", an optional "is"/"was"/":", then the candidate (the code may be on the next line).
        static readonly Regex Labelled = new Regex(
            @"(?<![\w-])(?:(?:e-?mail\s+)?(?:verification|security|confirmation|sign[- ]?in|log[- ]?in|authentication|access|one[- ]time|otp)\s+(?:code|passcode|pin)" +
            @"|one[- ]time\s+password|passcode|otp|code)" +
            @"(?:\s*\((?:otp|code)\))?[ \t]*(?:\r?\n\s*)?(?:(?:is|was)\b)?[ \t]*[:\uFF1A=\-\u2013\u2014]?\s*" +
            @"(?<code>[A-Za-z0-9]{6})(?![\w-])",
            Options, Budget);

        // "123456 is your verification code", "K7Q2XM is your one-time password".
        static readonly Regex CodeFirst = new Regex(
            @"(?<![\w-])(?<code>[A-Za-z0-9]{6})\s+is\s+your\s+(?:[\w-]+\s+){0,3}?(?:code|passcode|password|otp)\b",
            Options, Budget);

        // The code alone on its line, as HTML mails rendered to text show it under a "Verification code" heading.
        static readonly Regex OwnLine = new Regex(@"^[ \t>*]*(?<code>[A-Za-z0-9]{6})[ \t*]*\.?[ \t]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, Budget);

        static readonly Regex Mentions = new Regex(@"\b(?:code|passcode|otp|one[- ]time|verif\w*)\b", Options, Budget);

        /// <summary>The code in the message, or null. The subject is searched first, then the body.</summary>
        public static string? Find(string? subject, string? body)
        {
            try
            {
                var s = Normalize(subject);
                var b = Normalize(body);
                return FirstLabelled(s) ?? FirstLabelled(b)
                    ?? First(CodeFirst, s) ?? First(CodeFirst, b)
                    ?? (Mentions.IsMatch(s) || Mentions.IsMatch(b) ? First(OwnLine, b) : null);
            }
            catch (RegexMatchTimeoutException)
            {
                return null; // a pathological message: no code rather than a hang
            }
        }

        static string? FirstLabelled(string text) => First(Labelled, text);

        static string? First(Regex pattern, string text)
        {
            if (text.Length == 0) return null;
            for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
            {
                var code = m.Groups["code"].Value;
                if (IsCode(code)) return code;
            }
            return null;
        }

        /// <summary>
        /// Six digits; or six letters and digits with at least one digit (AWS's OTPs); or six capitals. Ordinary words
        /// ("within", "Thanks", "expire") are not codes.
        /// </summary>
        public static bool IsCode(string candidate)
        {
            if (candidate.Length != 6 || !candidate.All(c => c < 128 && char.IsLetterOrDigit(c))) return false;
            if (candidate.Any(char.IsDigit)) return true;
            return candidate.All(char.IsUpper) && !NotCodes.Contains(candidate);
        }

        static readonly string[] NotCodes = { "EXPIRE", "PLEASE", "BELOW", "ACCESS", "NOTICE", "VERIFY", "SIGNIN", "AMAZON", "CHANGE", "UPDATE", "SECURE" };

        static string Normalize(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var chars = text!.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
                if (chars[i] == '\u00A0' || chars[i] == '\u2007' || chars[i] == '\u202F') chars[i] = ' ';
            return new string(chars).Replace("\u200B", "").Replace("\u200C", "").Replace("\u200D", "").Replace("\uFEFF", "").Replace("\r\n", "\n");
        }
    }
}
