using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace RootMail.Rules
{
    /// <summary>
    /// The local part of generated aliases. Literal text (letters, digits and . _ + -) with the tokens
    /// <c>{name}</c> (the slugged -AccountName, shortened so the address fits in 64 characters, or nothing)
    /// and <c>{random}</c> / <c>{random:N}</c> (N lowercase letters and digits from a cryptographic source,
    /// so that root addresses cannot be guessed). Generated addresses are lowercase and never longer than 64.
    /// </summary>
    public sealed class AddressTemplate
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        readonly List<Part> _parts;
        readonly int _fixedLength;

        AddressTemplate(string text, List<Part> parts)
        {
            Text = text;
            _parts = parts;
            foreach (var p in parts) _fixedLength += p.Kind == PartKind.Literal ? p.Literal!.Length : p.Kind == PartKind.Random ? p.Length : 0;
        }

        public string Text { get; }
        public bool HasName => _parts.Exists(p => p.Kind == PartKind.Name);

        /// <summary>Parses and checks a template for a domain: it must leave room for the random part within 64 characters.</summary>
        public static AddressTemplate Parse(string? text, string domain)
        {
            if (string.IsNullOrEmpty(text)) throw Errors.InvalidTemplate(text, "it is empty");
            var parts = new List<Part>();
            var lower = text!.ToLowerInvariant();
            int randomChars = 0;
            var literal = new StringBuilder();
            for (int i = 0; i < lower.Length; i++)
            {
                char c = lower[i];
                if (c == '{')
                {
                    int close = lower.IndexOf('}', i);
                    if (close < 0) throw Errors.InvalidTemplate(text, "a '{' has no closing '}'");
                    var token = lower.Substring(i + 1, close - i - 1);
                    if (literal.Length > 0) { parts.Add(Part.Text(literal.ToString())); literal.Clear(); }
                    if (token == "name") parts.Add(Part.Name());
                    else if (token == "random") { parts.Add(Part.Random(Limits.DefaultRandomLength)); randomChars += Limits.DefaultRandomLength; }
                    else if (token.StartsWith("random:", StringComparison.Ordinal) && int.TryParse(token.Substring(7), out var n)
                             && n >= Limits.MinRandomLength && n <= Limits.MaxRandomLength && token.Substring(7) == n.ToString())
                    { parts.Add(Part.Random(n)); randomChars += n; }
                    else throw Errors.InvalidTemplate(text, $"'{{{token}}}' is not a token; use {{name}}, {{random}} or {{random:N}} with N from {Limits.MinRandomLength} to {Limits.MaxRandomLength}");
                    i = close;
                }
                else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-') literal.Append(c);
                else throw Errors.InvalidTemplate(text, $"'{c}' is not allowed; literal text may use letters, digits and . _ + -");
            }
            if (literal.Length > 0) parts.Add(Part.Text(literal.ToString()));
            if (randomChars < Limits.MinRandomLength)
                throw Errors.InvalidTemplate(text, $"it needs at least {Limits.MinRandomLength} random characters ({{random}} gives {Limits.DefaultRandomLength}) so that addresses cannot be guessed and a taken one can be replaced");
            var template = new AddressTemplate(lower, parts);
            int shortest = template._fixedLength + 1 + domain.Length;
            if (shortest > Limits.MaxAliasLength)
                throw Errors.InvalidTemplate(text, $"with @{domain} its addresses would be at least {shortest} characters long, and AWS allows {Limits.MaxAliasLength}");
            return template;
        }

        /// <summary>Makes an address: lowercase, a valid local part, at most 64 characters with the domain.</summary>
        public string Generate(string? accountName, string domain)
        {
            int nameBudget = Limits.MaxAliasLength - 1 - domain.Length - _fixedLength;
            var slug = Slug(accountName, nameBudget);
            var sb = new StringBuilder();
            foreach (var part in _parts)
            {
                switch (part.Kind)
                {
                    case PartKind.Literal: sb.Append(part.Literal); break;
                    case PartKind.Name: sb.Append(slug); break;
                    default: sb.Append(RandomText(part.Length)); break;
                }
            }
            return Tidy(sb.ToString()) + "@" + domain;
        }

        /// <summary>Lowercase ASCII letters and digits, other runs become '-', at most maxLength characters.</summary>
        public static string Slug(string? value, int maxLength)
        {
            if (string.IsNullOrEmpty(value) || maxLength <= 0) return "";
            var sb = new StringBuilder();
            bool dash = false;
            foreach (var ch in value!.ToLowerInvariant())
            {
                if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) { if (dash && sb.Length > 0) sb.Append('-'); sb.Append(ch); dash = false; }
                else dash = true;
            }
            var slug = sb.Length > maxLength ? sb.ToString(0, maxLength) : sb.ToString();
            return slug.TrimEnd('-');
        }

        // Separators left next to each other or at the ends by an empty {name} are folded away: "aws--x." -> "aws-x".
        static string Tidy(string local)
        {
            var sb = new StringBuilder(local.Length);
            foreach (var c in local)
            {
                bool sep = c == '.' || c == '-' || c == '_' || c == '+';
                if (sep && (sb.Length == 0 || IsSep(sb[sb.Length - 1]))) continue;
                sb.Append(c);
            }
            while (sb.Length > 0 && IsSep(sb[sb.Length - 1])) sb.Length--;
            return sb.ToString();
        }

        static bool IsSep(char c) => c == '.' || c == '-' || c == '_' || c == '+';

        static string RandomText(int length)
        {
            var result = new char[length];
            var buffer = new byte[length * 2];
            using (var rng = RandomNumberGenerator.Create())
            {
                int filled = 0;
                while (filled < length)
                {
                    rng.GetBytes(buffer);
                    foreach (var b in buffer)
                    {
                        if (b >= 252) continue; // 252 = 7 * 36: reject the tail so every character is equally likely
                        result[filled++] = Alphabet[b % Alphabet.Length];
                        if (filled == length) break;
                    }
                }
            }
            return new string(result);
        }

        enum PartKind { Literal, Name, Random }

        sealed class Part
        {
            public PartKind Kind;
            public string? Literal;
            public int Length;
            public static Part Text(string s) => new Part { Kind = PartKind.Literal, Literal = s };
            public static Part Name() => new Part { Kind = PartKind.Name };
            public static Part Random(int n) => new Part { Kind = PartKind.Random, Length = n };
        }
    }
}
