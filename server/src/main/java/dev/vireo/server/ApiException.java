/*
 * An error answered in OpenAI's shape: {"error": {"message", "type", "param", "code"}} with the HTTP
 * status clients expect (400 bad request, 401 key, 404 model or path, 413 body too large, 429 busy,
 * 500 server fault, 503 shutting down).
 */
package dev.vireo.server;

/** A request failure with its HTTP status and OpenAI error fields. */
final class ApiException extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final String param;

    ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", null, param, message);
    }

    static ApiException badRequest(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", code, param, message);
    }

    static ApiException unauthorized() {
        return new ApiException(401, "invalid_request_error", "invalid_api_key", null,
                "Incorrect or missing API key: send it as 'Authorization: Bearer <key>'.");
    }

    static ApiException notFound(String code, String param, String message) {
        return new ApiException(404, "invalid_request_error", code, param, message);
    }

    static ApiException tooLarge(int limit) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "The request body exceeds " + limit + " bytes.");
    }

    static ApiException busy(String message) {
        return new ApiException(429, "rate_limit_error", "rate_limit_exceeded", null, message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, "server_error", "service_unavailable", null, message);
    }

    static ApiException internal(String message) {
        return new ApiException(500, "server_error", null, null, message);
    }
}
