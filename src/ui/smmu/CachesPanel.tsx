/**
 * The SMMU's caches: IOTLB entries (tagged VMID/ASID) and the configuration
 * cache's STEs and CDs, each checked against memory. An entry memory no
 * longer agrees with is stale — the SMMU will keep using it until a TLBI or
 * CFGI removes it, which is the lesson of a missing invalidation.
 */
import type { SmmuView } from '../../worker/smmu-view-types.ts';
import { formatSize, hexGrouped } from '../format.ts';
import { permsText } from './perms.ts';

export function CachesPanel({ smmu }: { smmu: SmmuView }) {
  const { iotlb, configCache } = smmu;
  return (
    <div className="caches" data-testid="caches">
      <table className="data-table tlb-table" data-testid="iotlb">
        <caption>
          IOTLB: {iotlb.total} {iotlb.total === 1 ? 'entry' : 'entries'} · {iotlb.hits} {iotlb.hits === 1 ? 'hit' : 'hits'}, {iotlb.misses} {iotlb.misses === 1 ? 'miss' : 'misses'} so far
        </caption>
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Input → output</th>
            <th scope="col">Size</th>
            <th scope="col">Hits</th>
            <th scope="col">Memory now</th>
          </tr>
        </thead>
        <tbody>
          {iotlb.rows.length === 0 && <tr><td colSpan={5} className="muted">empty</td></tr>}
          {iotlb.rows.map((e) => (
            <tr key={e.slot} className={e.stale ? 'is-stale' : undefined} data-stale={e.stale ? 'true' : 'false'}>
              <td>VMID {e.vmid}{e.asid >= 0 ? ` · ASID ${e.asid}` : ''}<br /><span className="muted">{e.stage}</span></td>
              <td className="mono">{hexGrouped(e.input)} →<br />{hexGrouped(e.output)}</td>
              <td>{formatSize(e.size)} <span className="muted">L{e.level}</span><br /><span className="mono perms">{permsText(e.perms)}</span></td>
              <td>{e.hits}</td>
              <td>
                {e.stale ? (
                  <strong className="stale-tag">stale: {e.stale.now === 'fault' ? 'unmapped in memory' : <>memory maps it to <code>{hexGrouped(e.stale.now)}</code></>}</strong>
                ) : <span className="muted">agrees</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table config-cache-table" data-testid="config-cache">
        <caption>
          Configuration cache: {configCache.stes.length} {configCache.stes.length === 1 ? 'STE' : 'STEs'}, {configCache.cds.length} {configCache.cds.length === 1 ? 'CD' : 'CDs'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Read from</th>
            <th scope="col">Memory now</th>
          </tr>
        </thead>
        <tbody>
          {configCache.stes.length + configCache.cds.length === 0 && <tr><td colSpan={3} className="muted">empty</td></tr>}
          {[...configCache.stes.map((e) => ({ ...e, label: `STE ${e.sid}` })), ...configCache.cds.map((e) => ({ ...e, label: `CD ${e.ssid ?? 0} of StreamID ${e.sid}` }))].map((e) => (
            <tr key={e.label} className={e.stale ? 'is-stale' : undefined} data-stale={e.stale ? 'true' : 'false'}>
              <th scope="row">{e.label}</th>
              <td className="mono">{hexGrouped(e.address)}</td>
              <td>{e.stale ? <strong className="stale-tag">stale: memory changed, no CMD_CFGI yet</strong> : <span className="muted">agrees</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
