using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace RootMail.Simulator
{
    /// <summary>
    /// The subset of Exchange's OPATH filter syntax the simulator understands:
    /// <c>Property -eq|-ne|-like|-notlike Value</c> comparisons, combined with <c>-and</c>, <c>-or</c>, <c>-not</c>
    /// and parentheses. Values are quoted strings (single or double quotes), barewords, <c>$true</c>,
    /// <c>$false</c> or <c>$null</c>. <c>EmailAddresses</c> matches any proxy address of a recipient, with or
    /// without an <c>smtp:</c> prefix on the value.
    /// </summary>
    internal abstract class OPathFilter
    {
        private static readonly Dictionary<string, Func<SimMailbox, object?>> Properties = BuildProperties();

        public abstract bool Matches(SimMailbox mailbox);

        /// <summary>
        /// When the whole filter is <c>EmailAddresses -eq '&lt;address&gt;'</c> (no wildcard), the bare address,
        /// so the caller can use the tenant's address index.
        /// </summary>
        public virtual string? ExactAddress => null;

        public static OPathFilter Parse(string text)
        {
            if (text == null || text.Trim().Length == 0)
            {
                throw Invalid(text ?? string.Empty, 0);
            }

            var parser = new Parser(text);
            return parser.ParseAll();
        }

        internal static InvalidFilterException Invalid(string filter, int position) =>
            new InvalidFilterException(
                $"Invalid filter syntax. For a description of the filter parameter syntax see the command help. \"{filter}\" at position {position + 1}.");

        private static Dictionary<string, Func<SimMailbox, object?>> BuildProperties()
        {
            var p = new Dictionary<string, Func<SimMailbox, object?>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Name"] = m => m.Name,
                ["Identity"] = m => m.Name,
                ["Alias"] = m => m.Alias,
                ["DisplayName"] = m => m.DisplayName,
                ["PrimarySmtpAddress"] = m => m.PrimarySmtpAddress,
                ["WindowsEmailAddress"] = m => m.PrimarySmtpAddress,
                ["UserPrincipalName"] = m => m.UserPrincipalName,
                ["RecipientType"] = m => "UserMailbox",
                ["RecipientTypeDetails"] = m => "SharedMailbox",
                ["ForwardingAddress"] = m => m.ForwardingAddress,
                ["ForwardingSmtpAddress"] = m => m.ForwardingSmtpAddress,
                ["DeliverToMailboxAndForward"] = m => m.DeliverToMailboxAndForward,
                ["HiddenFromAddressListsEnabled"] = m => m.HiddenFromAddressListsEnabled,
                ["Guid"] = m => m.Guid.ToString(),
                ["ExchangeGuid"] = m => m.Guid.ToString(),
                ["ExternalDirectoryObjectId"] = m => m.ExternalDirectoryObjectId.ToString(),
            };
            for (int i = 0; i < SimMailbox.CustomAttributeCount; i++)
            {
                int index = i;
                p["CustomAttribute" + (i + 1).ToString(CultureInfo.InvariantCulture)] = m => m.CustomAttributes[index];
            }

            return p;
        }

        private sealed class And : OPathFilter
        {
            private readonly OPathFilter _left, _right;
            public And(OPathFilter left, OPathFilter right) { _left = left; _right = right; }
            public override bool Matches(SimMailbox m) => _left.Matches(m) && _right.Matches(m);
        }

        private sealed class Or : OPathFilter
        {
            private readonly OPathFilter _left, _right;
            public Or(OPathFilter left, OPathFilter right) { _left = left; _right = right; }
            public override bool Matches(SimMailbox m) => _left.Matches(m) || _right.Matches(m);
        }

        private sealed class Not : OPathFilter
        {
            private readonly OPathFilter _inner;
            public Not(OPathFilter inner) { _inner = inner; }
            public override bool Matches(SimMailbox m) => !_inner.Matches(m);
        }

        private enum Op { Eq, Ne, Like, NotLike }

        private sealed class Comparison : OPathFilter
        {
            private readonly string _property;
            private readonly Func<SimMailbox, object?>? _getter;
            private readonly Op _op;
            private readonly object? _value; // string, bool or null
            private readonly WildcardPattern? _pattern;

            public Comparison(string property, Op op, object? value)
            {
                _property = property;
                _op = op;
                _value = value;
                if (!property.Equals("EmailAddresses", StringComparison.OrdinalIgnoreCase))
                {
                    _getter = Properties[property];
                }

                if ((op == Op.Like || op == Op.NotLike) && value is string s)
                {
                    _pattern = new WildcardPattern(IsEmail ? SmtpAddress.StripSmtpPrefix(s) : s, WildcardOptions.IgnoreCase);
                }
            }

            private bool IsEmail => _getter == null;

            public override string? ExactAddress =>
                IsEmail && _op == Op.Eq && _value is string s && !WildcardPattern.ContainsWildcardCharacters(s)
                    ? SmtpAddress.StripSmtpPrefix(s)
                    : null;

            public override bool Matches(SimMailbox m)
            {
                bool positive = _op == Op.Eq || _op == Op.Like;
                bool any = IsEmail ? MatchesAddress(m) : MatchesValue(_getter!(m));
                return positive ? any : !any;
            }

            private bool MatchesAddress(SimMailbox m)
            {
                if (_value == null)
                {
                    return false; // a mailbox always has addresses
                }

                string operand = _value as string ?? Convert.ToString(_value, CultureInfo.InvariantCulture) ?? string.Empty;
                if (_pattern == null)
                {
                    string bare = SmtpAddress.StripSmtpPrefix(operand);
                    return m.AllAddresses().Any(a => string.Equals(a, bare, StringComparison.OrdinalIgnoreCase));
                }

                return m.AllAddresses().Any(a => _pattern.IsMatch(a));
            }

            private bool MatchesValue(object? actual)
            {
                if (_value == null)
                {
                    return actual == null || (actual is string s0 && s0.Length == 0);
                }

                if (actual is bool b)
                {
                    if (_value is bool vb)
                    {
                        return b == vb;
                    }

                    return bool.TryParse(_value as string, out bool parsed) && parsed == b;
                }

                string text = actual as string ?? string.Empty;
                if (_pattern != null)
                {
                    return _pattern.IsMatch(text);
                }

                string operand = _value is bool vb2 ? vb2.ToString() : (string)_value;
                return string.Equals(text, operand, StringComparison.OrdinalIgnoreCase);
            }

            public override string ToString() => $"{_property} {_op} {_value}";
        }

        private enum TokenKind { Word, String, Operator, Variable, LParen, RParen, End }

        private readonly struct Token
        {
            public Token(TokenKind kind, string text, int position)
            {
                Kind = kind;
                Text = text;
                Position = position;
            }

            public TokenKind Kind { get; }
            public string Text { get; }
            public int Position { get; }
        }

        private sealed class Parser
        {
            private readonly string _text;
            private readonly List<Token> _tokens;
            private int _index;

            public Parser(string text)
            {
                _text = text;
                _tokens = Tokenize(text);
            }

            public OPathFilter ParseAll()
            {
                OPathFilter result = ParseOr();
                if (Peek.Kind != TokenKind.End)
                {
                    throw Invalid(_text, Peek.Position);
                }

                return result;
            }

            private Token Peek => _tokens[_index];

            private Token Next() => _tokens[_index++];

            private bool IsOperator(string name) =>
                Peek.Kind == TokenKind.Operator && Peek.Text.Equals(name, StringComparison.OrdinalIgnoreCase);

            private OPathFilter ParseOr()
            {
                OPathFilter left = ParseAnd();
                while (IsOperator("-or"))
                {
                    Next();
                    left = new Or(left, ParseAnd());
                }

                return left;
            }

            private OPathFilter ParseAnd()
            {
                OPathFilter left = ParseUnary();
                while (IsOperator("-and"))
                {
                    Next();
                    left = new And(left, ParseUnary());
                }

                return left;
            }

            private OPathFilter ParseUnary()
            {
                if (IsOperator("-not"))
                {
                    Next();
                    return new Not(ParseUnary());
                }

                if (Peek.Kind == TokenKind.LParen)
                {
                    Next();
                    OPathFilter inner = ParseOr();
                    if (Peek.Kind != TokenKind.RParen)
                    {
                        throw Invalid(_text, Peek.Position);
                    }

                    Next();
                    return inner;
                }

                return ParseComparison();
            }

            private OPathFilter ParseComparison()
            {
                Token property = Next();
                if (property.Kind != TokenKind.Word)
                {
                    throw Invalid(_text, property.Position);
                }

                if (!property.Text.Equals("EmailAddresses", StringComparison.OrdinalIgnoreCase) &&
                    !Properties.ContainsKey(property.Text))
                {
                    throw new InvalidFilterException(
                        $"Invalid filter syntax. \"{property.Text}\" is not a recognized filterable property in the Exchange Online simulator. \"{_text}\" at position {property.Position + 1}.");
                }

                Token op = Next();
                Op kind;
                switch (op.Kind == TokenKind.Operator ? op.Text.ToLowerInvariant() : string.Empty)
                {
                    case "-eq": kind = Op.Eq; break;
                    case "-ne": kind = Op.Ne; break;
                    case "-like": kind = Op.Like; break;
                    case "-notlike": kind = Op.NotLike; break;
                    default: throw Invalid(_text, op.Position);
                }

                Token value = Next();
                object? operand;
                switch (value.Kind)
                {
                    case TokenKind.String:
                    case TokenKind.Word:
                        operand = value.Text;
                        break;
                    case TokenKind.Variable:
                        switch (value.Text.ToLowerInvariant())
                        {
                            case "$true": operand = true; break;
                            case "$false": operand = false; break;
                            case "$null": operand = null; break;
                            default: throw Invalid(_text, value.Position);
                        }

                        break;
                    default:
                        throw Invalid(_text, value.Position);
                }

                return new Comparison(property.Text, kind, operand);
            }

            private static List<Token> Tokenize(string text)
            {
                var tokens = new List<Token>();
                int i = 0;
                string body = text;

                // A script block passed to -Filter arrives as its text; tolerate the braces around it.
                string trimmed = body.Trim();
                if (trimmed.StartsWith("{", StringComparison.Ordinal) && trimmed.EndsWith("}", StringComparison.Ordinal))
                {
                    int open = body.IndexOf('{');
                    int close = body.LastIndexOf('}');
                    body = new string(' ', open + 1) + body.Substring(open + 1, close - open - 1);
                }

                while (i < body.Length)
                {
                    char c = body[i];
                    if (char.IsWhiteSpace(c))
                    {
                        i++;
                        continue;
                    }

                    int start = i;
                    if (c == '(')
                    {
                        tokens.Add(new Token(TokenKind.LParen, "(", i++));
                    }
                    else if (c == ')')
                    {
                        tokens.Add(new Token(TokenKind.RParen, ")", i++));
                    }
                    else if (c == '\'' || c == '"')
                    {
                        var sb = new StringBuilder();
                        i++;
                        bool closed = false;
                        while (i < body.Length)
                        {
                            if (body[i] == c)
                            {
                                if (i + 1 < body.Length && body[i + 1] == c)
                                {
                                    sb.Append(c);
                                    i += 2;
                                    continue;
                                }

                                closed = true;
                                i++;
                                break;
                            }

                            sb.Append(body[i++]);
                        }

                        if (!closed)
                        {
                            throw Invalid(text, start);
                        }

                        tokens.Add(new Token(TokenKind.String, sb.ToString(), start));
                    }
                    else if (c == '-' && i + 1 < body.Length && char.IsLetter(body[i + 1]))
                    {
                        i++;
                        while (i < body.Length && char.IsLetter(body[i]))
                        {
                            i++;
                        }

                        tokens.Add(new Token(TokenKind.Operator, body.Substring(start, i - start), start));
                    }
                    else if (c == '$')
                    {
                        i++;
                        while (i < body.Length && char.IsLetterOrDigit(body[i]))
                        {
                            i++;
                        }

                        tokens.Add(new Token(TokenKind.Variable, body.Substring(start, i - start), start));
                    }
                    else
                    {
                        while (i < body.Length && !char.IsWhiteSpace(body[i]) && body[i] != '(' && body[i] != ')' &&
                               body[i] != '\'' && body[i] != '"')
                        {
                            i++;
                        }

                        tokens.Add(new Token(TokenKind.Word, body.Substring(start, i - start), start));
                    }
                }

                tokens.Add(new Token(TokenKind.End, string.Empty, body.Length));
                return tokens;
            }
        }
    }
}
