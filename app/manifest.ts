import type { MetadataRoute } from "next";

// The web app manifest (/manifest.webmanifest): what makes Komnata installable on a desktop or a
// phone's home screen (and, on iOS 16.4+, able to receive Web Push once installed).
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Komnata",
    short_name: "Komnata",
    description: "Self-hosted real-time team chat",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#3d55d6",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
