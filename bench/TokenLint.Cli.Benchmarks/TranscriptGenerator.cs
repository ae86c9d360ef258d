using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace TokenLint.Cli.Benchmarks;

/// <summary>
/// Writes a Claude Code transcript folder of realistic lines: for each assistant call a user line before it, both
/// about 1 KB, with the fields Claude Code writes (ids, cwd, version, content, usage with the TTL split), 40 calls a
/// session, one project per 50 sessions, spread over 14 days, and 1 call in 50 logged twice.
/// </summary>
internal static class TranscriptGenerator
{
    public static long Write(string folder, long lines)
    {
        var random = new Random(20261203);
        string[] models = { "claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5" };
        string filler = new('x', 600);
        long written = 0;
        int session = 0;
        var start = new DateTimeOffset(2026, 11, 17, 0, 0, 0, TimeSpan.Zero);
        while (written < lines)
        {
            string project = $"-home-dev-project{session / 50}";
            string cwd = "/home/dev/project" + (session / 50).ToString(CultureInfo.InvariantCulture);
            string sessionId = Guid.NewGuid().ToString();
            Directory.CreateDirectory(Path.Combine(folder, project));
            using var file = new StreamWriter(Path.Combine(folder, project, sessionId + ".jsonl"), false, new UTF8Encoding(false), 1 << 16);
            var time = start.AddMinutes(random.Next(0, 14 * 24 * 60));
            long context = 2_000;
            for (int turn = 0; turn < 40 && written < lines; turn++)
            {
                time = time.AddSeconds(random.Next(5, 90));
                string ts = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                file.Write("{\"parentUuid\":\"" + Guid.NewGuid() + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"" + cwd
                    + "\",\"sessionId\":\"" + sessionId + "\",\"version\":\"2.0.14\",\"gitBranch\":\"main\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01"
                    + turn + "\",\"content\":\"" + filler + "\"}]},\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + ts + "\"}\n");
                written++;
                long output = random.Next(20, 800);
                long write = random.Next(100, 3_000);
                long oneHour = turn == 0 ? write : 0;
                string line = "{\"parentUuid\":\"" + Guid.NewGuid() + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + sessionId
                    + "\",\"version\":\"2.0.14\",\"gitBranch\":\"main\",\"message\":{\"id\":\"msg_01" + session + "x" + turn + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                    + models[session % 3] + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + filler.Substring(0, 300)
                    + "\"}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":4,\"cache_creation_input_tokens\":" + write
                    + ",\"cache_read_input_tokens\":" + context + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + (write - oneHour) + ",\"ephemeral_1h_input_tokens\":" + oneHour
                    + "},\"output_tokens\":" + output + ",\"service_tier\":\"standard\"}},\"requestId\":\"req_011" + session + "x" + turn + "\",\"type\":\"assistant\",\"uuid\":\""
                    + Guid.NewGuid() + "\",\"timestamp\":\"" + ts + "\"}\n";
                file.Write(line);
                written++;
                if (turn % 50 == 25 && written < lines)
                {
                    file.Write(line);
                    written++;
                }

                context += write + output;
            }

            session++;
        }

        return written;
    }
}
