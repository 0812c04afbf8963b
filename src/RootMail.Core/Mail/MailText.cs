using System;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace RootMail.Mail
{
    /// <summary>Plain text from a mail body: enough to read it and find a code in it, not a renderer.</summary>
    public static class MailText
    {
        static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);
        static readonly Regex Invisible = new Regex(@"<(head|style|script|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline, Budget);
        static readonly Regex Breaks = new Regex(@"<\s*(br|/p|/div|/tr|/h[1-6]|/li|/table|/td|/th|p|div|tr|h[1-6]|li|table)\b[^>]*>", RegexOptions.IgnoreCase, Budget);
        static readonly Regex Tags = new Regex(@"<[^>]*>", RegexOptions.Singleline, Budget);
        static readonly Regex Spaces = new Regex(@"[ \t\f\v\u00A0]+", RegexOptions.None, Budget);

        /// <summary>The text of an HTML body: blocks and breaks become new lines, tags go, entities are decoded, blank lines collapse.</summary>
        public static string FromHtml(string? html)
        {
            if (string.IsNullOrEmpty(html)) return "";
            try
            {
                var s = Invisible.Replace(html!, " ");
                s = Breaks.Replace(s, "\n");
                s = Tags.Replace(s, " ");
                s = WebUtility.HtmlDecode(s);
                var sb = new StringBuilder(s.Length);
                bool blank = true;
                foreach (var raw in s.Replace("\r\n", "\n").Split('\n'))
                {
                    var line = Spaces.Replace(raw, " ").Trim();
                    if (line.Length == 0)
                    {
                        if (!blank) sb.Append('\n');
                        blank = true;
                        continue;
                    }
                    if (!blank && sb.Length > 0 && sb[sb.Length - 1] != '\n') sb.Append('\n');
                    sb.Append(line).Append('\n');
                    blank = false;
                }
                return sb.ToString().Trim();
            }
            catch (RegexMatchTimeoutException)
            {
                return WebUtility.HtmlDecode(html!);
            }
        }

        /// <summary>One line of at most <paramref name="max"/> characters: for previews.</summary>
        public static string OneLine(string? text, int max = 255)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var s = Spaces.Replace(text!.Replace("\r", " ").Replace("\n", " "), " ").Trim();
            return s.Length <= max ? s : s.Substring(0, max - 1).TrimEnd() + "\u2026";
        }
    }
}
