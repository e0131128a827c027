# windowguard container image.
# Build stage: Debian bookworm with exactly the packages of scripts/install-deps.sh
# and the same build command as CI (scripts/build.sh), for the binary alone.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN rm -rf build && WINDOWGUARD_WERROR=ON scripts/build.sh windowguard && build/windowguard lint policies

# Runtime stage: the binary, its shared libraries and the time zone database
# (tzdata is required at run time: every window's zone is read from it).
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      tzdata libyaml-cpp0.7 libdate-tz3 libboost-program-options1.81.0 libssl3 libspdlog1.10 libfmt9 \
      libical3 libicu72 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/windowguard /usr/local/bin/windowguard
COPY --from=build /src/policies /etc/windowguard/policies
# A numeric non-root user, so that runAsNonRoot can verify it.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/usr/local/bin/windowguard"]
# The webhook; every flag can also come from a WINDOWGUARD_* environment variable.
CMD ["serve", "--listen", "0.0.0.0:8443", \
     "--tls-cert", "/etc/windowguard/tls/tls.crt", "--tls-key", "/etc/windowguard/tls/tls.key", \
     "--policies", "/etc/windowguard/policies"]
