// A DJI WPML wayline file (KMZ) that DJI Pilot 2 opens: wpmz/template.kml holds one mapping2d template per
// area (the polygon, height and overlaps, which Pilot 2 can re-plan from), wpmz/waylines.wpml the flyable
// route we planned for each (waypoints, gimbal straight down, photos every photoSpacingM).
import JSZip from 'jszip';
import { Invalid } from '../errors.js';
import { planMappingRoute, type MappingParams, type MappingRoute } from './wayline.js';

/** More waypoints than this in one file is a plan nobody flies (too low, too much overlap, too large an area). */
export const MAX_WAYPOINTS = 2000;
export const WPML_NAMESPACE = 'http://www.dji.com/wpmz/1.0.2';
const KML_NAMESPACE = 'http://www.opengis.net/kml/2.2';
/** Mavic 3 Enterprise (drone 77, sub-type 0) with its own camera (payload 66) on gimbal 0. */
const DRONE = { drone: 77, droneSub: 0, payload: 66, payloadSub: 0, gimbal: 0 };

export interface WaylineArea {
  name: string;
  geometry: GeoJSON.MultiPolygon;
}

const num = (x: number, digits = 2) => String(Math.round(x * 10 ** digits) / 10 ** digits);
const coord = ([lon, lat]: [number, number]) => `${num(lon, 8)},${num(lat, 8)}`;
const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function missionConfig(p: MappingParams): string {
  return `    <wpml:missionConfig>
      <wpml:flyToWaylineMode>safely</wpml:flyToWaylineMode>
      <wpml:finishAction>goHome</wpml:finishAction>
      <wpml:exitOnRCLost>executeLostAction</wpml:exitOnRCLost>
      <wpml:executeRCLostAction>goBack</wpml:executeRCLostAction>
      <wpml:takeOffSecurityHeight>20</wpml:takeOffSecurityHeight>
      <wpml:globalTransitionalSpeed>${num(p.speedMs, 1)}</wpml:globalTransitionalSpeed>
      <wpml:droneInfo>
        <wpml:droneEnumValue>${DRONE.drone}</wpml:droneEnumValue>
        <wpml:droneSubEnumValue>${DRONE.droneSub}</wpml:droneSubEnumValue>
      </wpml:droneInfo>
      <wpml:payloadInfo>
        <wpml:payloadEnumValue>${DRONE.payload}</wpml:payloadEnumValue>
        <wpml:payloadSubEnumValue>${DRONE.payloadSub}</wpml:payloadSubEnumValue>
        <wpml:payloadPositionIndex>${DRONE.gimbal}</wpml:payloadPositionIndex>
      </wpml:payloadInfo>
    </wpml:missionConfig>`;
}

function templateFolder(id: number, area: WaylineArea, route: MappingRoute, p: MappingParams): string {
  return `    <Folder>
      <wpml:templateType>mapping2d</wpml:templateType>
      <wpml:templateId>${id}</wpml:templateId>
      <wpml:waylineCoordinateSysParam>
        <wpml:coordinateMode>WGS84</wpml:coordinateMode>
        <wpml:heightMode>relativeToStartPoint</wpml:heightMode>
        <wpml:globalShootHeight>${num(p.altitudeM, 1)}</wpml:globalShootHeight>
        <wpml:surfaceFollowModeEnable>0</wpml:surfaceFollowModeEnable>
      </wpml:waylineCoordinateSysParam>
      <wpml:autoFlightSpeed>${num(p.speedMs, 1)}</wpml:autoFlightSpeed>
      <Placemark>
        <name>${escapeXml(area.name)}</name>
        <wpml:caliFlightEnable>0</wpml:caliFlightEnable>
        <wpml:elevationOptimizeEnable>0</wpml:elevationOptimizeEnable>
        <wpml:smartObliqueEnable>0</wpml:smartObliqueEnable>
        <wpml:shootType>distance</wpml:shootType>
        <wpml:direction>${route.directionDeg === 0 ? 90 : 0}</wpml:direction>
        <wpml:margin>${num(p.marginM, 0)}</wpml:margin>
        <wpml:overlap>
          <wpml:orthoCameraOverlapH>${num(p.frontOverlap, 0)}</wpml:orthoCameraOverlapH>
          <wpml:orthoCameraOverlapW>${num(p.sideOverlap, 0)}</wpml:orthoCameraOverlapW>
        </wpml:overlap>
        <Polygon>
          <outerBoundaryIs>
            <LinearRing>
              <coordinates>${route.outline.map((q) => `${coord(q)},0`).join(' ')}</coordinates>
            </LinearRing>
          </outerBoundaryIs>
        </Polygon>
        <wpml:ellipsoidHeight>${num(p.altitudeM, 1)}</wpml:ellipsoidHeight>
        <wpml:height>${num(p.altitudeM, 1)}</wpml:height>
      </Placemark>
      <wpml:payloadParam>
        <wpml:payloadPositionIndex>${DRONE.gimbal}</wpml:payloadPositionIndex>
        <wpml:imageFormat>visable</wpml:imageFormat>
      </wpml:payloadParam>
    </Folder>`;
}

function waypointActions(last: number, route: MappingRoute): string {
  return `
        <wpml:actionGroup>
          <wpml:actionGroupId>0</wpml:actionGroupId>
          <wpml:actionGroupStartIndex>0</wpml:actionGroupStartIndex>
          <wpml:actionGroupEndIndex>0</wpml:actionGroupEndIndex>
          <wpml:actionGroupMode>sequence</wpml:actionGroupMode>
          <wpml:actionTrigger>
            <wpml:actionTriggerType>reachPoint</wpml:actionTriggerType>
          </wpml:actionTrigger>
          <wpml:action>
            <wpml:actionId>0</wpml:actionId>
            <wpml:actionActuatorFunc>gimbalRotate</wpml:actionActuatorFunc>
            <wpml:actionActuatorFuncParam>
              <wpml:gimbalRotateMode>absoluteAngle</wpml:gimbalRotateMode>
              <wpml:gimbalPitchRotateEnable>1</wpml:gimbalPitchRotateEnable>
              <wpml:gimbalPitchRotateAngle>-90</wpml:gimbalPitchRotateAngle>
              <wpml:gimbalRollRotateEnable>0</wpml:gimbalRollRotateEnable>
              <wpml:gimbalRollRotateAngle>0</wpml:gimbalRollRotateAngle>
              <wpml:gimbalYawRotateEnable>0</wpml:gimbalYawRotateEnable>
              <wpml:gimbalYawRotateAngle>0</wpml:gimbalYawRotateAngle>
              <wpml:gimbalRotateTimeEnable>0</wpml:gimbalRotateTimeEnable>
              <wpml:gimbalRotateTime>0</wpml:gimbalRotateTime>
              <wpml:payloadPositionIndex>${DRONE.gimbal}</wpml:payloadPositionIndex>
            </wpml:actionActuatorFuncParam>
          </wpml:action>
        </wpml:actionGroup>
        <wpml:actionGroup>
          <wpml:actionGroupId>1</wpml:actionGroupId>
          <wpml:actionGroupStartIndex>0</wpml:actionGroupStartIndex>
          <wpml:actionGroupEndIndex>${last}</wpml:actionGroupEndIndex>
          <wpml:actionGroupMode>sequence</wpml:actionGroupMode>
          <wpml:actionTrigger>
            <wpml:actionTriggerType>multipleDistance</wpml:actionTriggerType>
            <wpml:actionTriggerParam>${num(route.photoSpacingM, 1)}</wpml:actionTriggerParam>
          </wpml:actionTrigger>
          <wpml:action>
            <wpml:actionId>1</wpml:actionId>
            <wpml:actionActuatorFunc>takePhoto</wpml:actionActuatorFunc>
            <wpml:actionActuatorFuncParam>
              <wpml:payloadPositionIndex>${DRONE.gimbal}</wpml:payloadPositionIndex>
              <wpml:useGlobalPayloadLensIndex>0</wpml:useGlobalPayloadLensIndex>
            </wpml:actionActuatorFuncParam>
          </wpml:action>
        </wpml:actionGroup>`;
}

function waylineFolder(id: number, route: MappingRoute, p: MappingParams): string {
  const last = route.waypoints.length - 1;
  const placemarks = route.waypoints.map(
    (q, i) => `      <Placemark>
        <Point>
          <coordinates>${coord(q)}</coordinates>
        </Point>
        <wpml:index>${i}</wpml:index>
        <wpml:executeHeight>${num(p.altitudeM, 1)}</wpml:executeHeight>
        <wpml:waypointSpeed>${num(p.speedMs, 1)}</wpml:waypointSpeed>
        <wpml:waypointHeadingParam>
          <wpml:waypointHeadingMode>followWayline</wpml:waypointHeadingMode>
        </wpml:waypointHeadingParam>
        <wpml:waypointTurnParam>
          <wpml:waypointTurnMode>toPointAndStopWithDiscontinuityCurvature</wpml:waypointTurnMode>
          <wpml:waypointTurnDampingDist>0</wpml:waypointTurnDampingDist>
        </wpml:waypointTurnParam>
        <wpml:useStraightLine>1</wpml:useStraightLine>${i === 0 ? waypointActions(last, route) : ''}
      </Placemark>`,
  );
  return `    <Folder>
      <wpml:templateId>${id}</wpml:templateId>
      <wpml:executeHeightMode>relativeToStartPoint</wpml:executeHeightMode>
      <wpml:waylineId>${id}</wpml:waylineId>
      <wpml:distance>${num(route.distanceM, 1)}</wpml:distance>
      <wpml:duration>${num(route.durationS, 1)}</wpml:duration>
      <wpml:autoFlightSpeed>${num(p.speedMs, 1)}</wpml:autoFlightSpeed>
${placemarks.join('\n')}
    </Folder>`;
}

const document = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="${KML_NAMESPACE}" xmlns:wpml="${WPML_NAMESPACE}">
  <Document>
${body}
  </Document>
</kml>
`;

export interface WaylineFiles {
  templateKml: string;
  waylinesWpml: string;
  routes: MappingRoute[];
}

/** The two WPML files for mapping missions over `areas`, template and wayline ids 0, 1, … in order. */
export function waylineFiles(areas: WaylineArea[], p: MappingParams, createdAt: Date, author: string): WaylineFiles {
  const routes = areas.map((a) => planMappingRoute(a.geometry, p));
  const waypoints = routes.reduce((n, r) => n + r.waypoints.length, 0);
  if (waypoints > MAX_WAYPOINTS) {
    throw new Invalid(`the route needs ${waypoints} waypoints, more than ${MAX_WAYPOINTS}: fly higher, with less overlap, or choose fewer areas`, {
      code: 'refly_route_too_long', params: { waypoints, max: MAX_WAYPOINTS },
    });
  }
  const templateKml = document(`    <wpml:author>${escapeXml(author)}</wpml:author>
    <wpml:createTime>${createdAt.getTime()}</wpml:createTime>
    <wpml:updateTime>${createdAt.getTime()}</wpml:updateTime>
${missionConfig(p)}
${areas.map((a, i) => templateFolder(i, a, routes[i]!, p)).join('\n')}`);
  const waylinesWpml = document(`${missionConfig(p)}
${routes.map((r, i) => waylineFolder(i, r, p)).join('\n')}`);
  return { templateKml, waylinesWpml, routes };
}

/** The KMZ (a zip holding wpmz/template.kml and wpmz/waylines.wpml), same inputs giving the same bytes. */
export async function waylineKmz(areas: WaylineArea[], p: MappingParams, createdAt: Date, author: string): Promise<Buffer> {
  const files = waylineFiles(areas, p, createdAt, author);
  const zip = new JSZip();
  zip.file('wpmz/template.kml', files.templateKml, { date: createdAt, createFolders: false });
  zip.file('wpmz/waylines.wpml', files.waylinesWpml, { date: createdAt, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
