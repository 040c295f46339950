// Small JPEGs with GPS EXIF (and optionally DJI's XMP block) for photo ingest tests.
import sharp from 'sharp';

export interface TestPhoto {
  lat?: number;
  lon?: number;
  gpsAltitude?: number;
  relativeAltitude?: number;
  gimbalYaw?: number;
  gimbalPitch?: number;
  taken?: string;
  width?: number;
  height?: number;
}

const dms = (deg: number) => {
  const a = Math.abs(deg), d = Math.floor(a), m = Math.floor((a - d) * 60), s = Math.round(((a - d) * 60 - m) * 60 * 10000);
  return `${d}/1 ${m}/1 ${s}/10000`;
};

export async function writeGpsJpeg(p: TestPhoto): Promise<Buffer> {
  const gps = p.lat === undefined || p.lon === undefined ? {} : {
    GPSLatitudeRef: p.lat >= 0 ? 'N' : 'S', GPSLatitude: dms(p.lat),
    GPSLongitudeRef: p.lon >= 0 ? 'E' : 'W', GPSLongitude: dms(p.lon),
    ...(p.gpsAltitude === undefined ? {} : { GPSAltitudeRef: '0', GPSAltitude: `${Math.round(p.gpsAltitude * 10)}/10` }),
  };
  let img = sharp({ create: { width: p.width ?? 64, height: p.height ?? 48, channels: 3, background: '#6a8a5a' } })
    .withExif({ IFD0: { Make: 'DJI', Model: 'FC6310' }, IFD2: { DateTimeOriginal: p.taken ?? '2026:04:01 10:00:00' }, IFD3: gps });
  if (p.relativeAltitude !== undefined) {
    img = img.withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
 drone-dji:RelativeAltitude="+${p.relativeAltitude}" drone-dji:GimbalYawDegree="${p.gimbalYaw ?? 0}"
 drone-dji:GimbalPitchDegree="${p.gimbalPitch ?? -90}"/></rdf:RDF></x:xmpmeta>`);
  }
  return img.jpeg({ quality: 80 }).toBuffer();
}
