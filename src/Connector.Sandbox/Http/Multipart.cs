using System.Text;

namespace Connector.Sandbox.Http;

/// <summary>Splits a multipart/form-data body into named parts (enough for ContentVersion uploads).</summary>
internal static class Multipart
{
    public static Dictionary<string, byte[]> Parse(byte[] body, string contentType)
    {
        var boundaryParameter = contentType.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException("multipart body without a boundary");
        var boundary = Encoding.ASCII.GetBytes("--" + boundaryParameter["boundary=".Length..].Trim('"'));
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var position = IndexOf(body, boundary, 0);
        while (position >= 0)
        {
            var start = position + boundary.Length;
            if (start + 2 <= body.Length && body[start] == '-' && body[start + 1] == '-')
            {
                break;
            }

            var next = IndexOf(body, boundary, start);
            if (next < 0)
            {
                break;
            }

            var part = body.AsSpan(start, next - start);
            var headerEnd = part.IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                var headers = Encoding.UTF8.GetString(part[..headerEnd]);
                var content = part[(headerEnd + 4)..];
                if (content.EndsWith("\r\n"u8))
                {
                    content = content[..^2];
                }

                var name = NameOf(headers);
                if (name is not null)
                {
                    parts[name] = content.ToArray();
                }
            }

            position = next;
        }

        return parts;
    }

    private static string? NameOf(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            if (!line.StartsWith("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var parameter in line.Split(';').Select(p => p.Trim()))
            {
                if (parameter.StartsWith("name=", StringComparison.OrdinalIgnoreCase))
                {
                    return parameter[5..].Trim('"');
                }
            }
        }

        return null;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var index = haystack.AsSpan(from).IndexOf(needle);
        return index < 0 ? -1 : index + from;
    }
}
