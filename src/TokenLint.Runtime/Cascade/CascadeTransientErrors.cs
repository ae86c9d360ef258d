using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace TokenLint.Runtime.Cascade;

/// <summary>The provider errors a cascade escalates on by default.</summary>
public static class CascadeTransientErrors
{
    /// <summary>
    /// HTTP 408, 429 and 5xx, a connection that failed or broke (no status), a timeout, searched through the inner
    /// exceptions as SDKs wrap them. A cancellation counts only when the caller did not ask for it; the cascade checks
    /// that before asking this.
    /// </summary>
    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException http:
                    return http.StatusCode is null || IsTransientStatus(http.StatusCode.Value);
                case TimeoutException or SocketException or IOException:
                    return true;
                case OperationCanceledException:
                    // Not the caller's (the cascade rules that out first): an HttpClient timeout or a server abort.
                    return true;
                case TokenGuardException:
                    return false;
            }
        }

        return false;
    }

    /// <summary>408 (timeout), 429 (rate limit or quota) and every 5xx.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
