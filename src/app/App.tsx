export function App() {
  return <h1>IOMMU Visualizer</h1>;
}
