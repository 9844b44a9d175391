package io.pushcore.provider.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;

/**
 * Wraps firebase-admin's transport so that each send is one attempt; the provider contract leaves retrying to the
 * caller. Two statuses make the libraries retry out of the caller's sight, so this transport reports them as
 * others that map the same way (FCM's body, which names the error, is untouched):
 * <ul>
 * <li>503: firebase-admin retries it up to 4 times, backing off up to 60 s and honouring Retry-After. Reported
 * as 500.</li>
 * <li>401: google-http-client refreshes the access token and resends, up to 4 times. FCM answers 401 for
 * {@code THIRD_PARTY_AUTH_ERROR}, which no fresh token fixes, and google-auth renews tokens before they expire.
 * Reported as 403.</li>
 * </ul>
 */
final class SingleAttemptTransport extends HttpTransport {

    private static final Method BUILD_REQUEST;

    static {
        try {
            // HttpTransport.buildRequest is protected; a wrapper in another package can only reach it this way.
            BUILD_REQUEST = HttpTransport.class.getDeclaredMethod("buildRequest", String.class, String.class);
            BUILD_REQUEST.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HttpTransport delegate;

    SingleAttemptTransport(HttpTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean supportsMethod(String method) throws IOException {
        return delegate.supportsMethod(method);
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) throws IOException {
        try {
            return new Request((LowLevelHttpRequest) BUILD_REQUEST.invoke(delegate, method, url));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void shutdown() throws IOException {
        delegate.shutdown();
    }

    private static final class Request extends LowLevelHttpRequest {

        private final LowLevelHttpRequest delegate;

        Request(LowLevelHttpRequest delegate) {
            this.delegate = delegate;
        }

        @Override
        public void addHeader(String name, String value) throws IOException {
            delegate.addHeader(name, value);
        }

        @Override
        public void setTimeout(int connectTimeout, int readTimeout) throws IOException {
            delegate.setTimeout(connectTimeout, readTimeout);
        }

        @Override
        public void setWriteTimeout(int writeTimeout) throws IOException {
            delegate.setWriteTimeout(writeTimeout);
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            delegate.setContentLength(getContentLength());
            delegate.setContentEncoding(getContentEncoding());
            delegate.setContentType(getContentType());
            delegate.setStreamingContent(getStreamingContent());
            return new Response(delegate.execute());
        }
    }

    private static final class Response extends LowLevelHttpResponse {

        private final LowLevelHttpResponse delegate;

        Response(LowLevelHttpResponse delegate) {
            this.delegate = delegate;
        }

        @Override
        public int getStatusCode() throws IOException {
            int status = delegate.getStatusCode();
            return switch (status) {
                case 503 -> 500;
                case 401 -> 403;
                default -> status;
            };
        }

        @Override
        public InputStream getContent() throws IOException {
            return delegate.getContent();
        }

        @Override
        public String getContentEncoding() throws IOException {
            return delegate.getContentEncoding();
        }

        @Override
        public long getContentLength() throws IOException {
            return delegate.getContentLength();
        }

        @Override
        public String getContentType() throws IOException {
            return delegate.getContentType();
        }

        @Override
        public String getStatusLine() throws IOException {
            return delegate.getStatusLine();
        }

        @Override
        public String getReasonPhrase() throws IOException {
            return delegate.getReasonPhrase();
        }

        @Override
        public int getHeaderCount() throws IOException {
            return delegate.getHeaderCount();
        }

        @Override
        public String getHeaderName(int index) throws IOException {
            return delegate.getHeaderName(index);
        }

        @Override
        public String getHeaderValue(int index) throws IOException {
            return delegate.getHeaderValue(index);
        }

        @Override
        public void disconnect() throws IOException {
            delegate.disconnect();
        }
    }
}
